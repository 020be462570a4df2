package tally.rules.template;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;

/** Go's net.SplitHostPort, net.JoinHostPort, net.ParseIP and url.QueryEscape, for stripPort, stripDomain and the URL functions. */
final class GoNet {
    private GoNet() {}

    /** url.QueryEscape: unreserved bytes kept, space as '+', the rest %XX. */
    static String queryEscape(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '~') {
                sb.append((char) c);
            } else if (c == ' ') {
                sb.append('+');
            } else {
                sb.append('%').append("0123456789ABCDEF".charAt(c >> 4)).append("0123456789ABCDEF".charAt(c & 15));
            }
        }
        return sb.toString();
    }

    /** net.SplitHostPort: {host, port}, or null where Go returns an error. */
    static String[] splitHostPort(String hostport) {
        int j = 0, k = 0;
        int i = hostport.lastIndexOf(':');
        if (i < 0) return null; // missing port
        String host;
        if (hostport.startsWith("[")) {
            int end = hostport.indexOf(']');
            if (end < 0) return null; // missing ']'
            if (end + 1 == hostport.length()) return null; // missing port
            if (end + 1 != i) return null; // too many colons, or ']' not followed by the last ':'
            host = hostport.substring(1, end);
            j = 1;
            k = end + 1;
        } else {
            host = hostport.substring(0, i);
            if (host.indexOf(':') >= 0) return null; // too many colons
        }
        if (hostport.indexOf('[', j) >= 0) return null;
        if (hostport.indexOf(']', k) >= 0) return null;
        return new String[] {host, hostport.substring(i + 1)};
    }

    /** net.JoinHostPort. */
    static String joinHostPort(String host, String port) {
        if (host.indexOf(':') >= 0) return "[" + host + "]:" + port;
        return host + ":" + port;
    }

    /** Whether net.ParseIP accepts s: the first '.' or ':' decides IPv4 or IPv6; zones are refused. */
    static boolean isIP(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '.') return isIPv4(s);
            if (c == ':') return isIPv6(s);
            if (c == '%') return false;
        }
        return false;
    }

    private static boolean isIPv4(String s) {
        int val = 0, pos = 0, digLen = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                if (digLen == 1 && val == 0) return false; // leading zero
                val = val * 10 + (c - '0');
                digLen++;
                if (val > 255) return false;
            } else if (c == '.') {
                if (i == 0 || i == s.length() - 1 || s.charAt(i - 1) == '.') return false;
                if (pos == 3) return false;
                pos++;
                val = 0;
                digLen = 0;
            } else {
                return false;
            }
        }
        return pos == 3;
    }

    private static int hexDigit(char c) {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    }

    /** netip's IPv6 grammar: up to 8 groups of 1-4 hex digits, one "::", an optional trailing IPv4. */
    private static boolean isIPv6(String s) {
        if (s.indexOf('%') >= 0) return false;
        int ellipsis = -1;
        if (s.startsWith("::")) {
            ellipsis = 0;
            s = s.substring(2);
            if (s.isEmpty()) return true;
        }
        int i = 0; // bytes of the address filled
        while (i < 16) {
            int off = 0, acc = 0;
            for (; off < s.length(); off++) {
                int d = hexDigit(s.charAt(off));
                if (d < 0) break;
                acc = (acc << 4) + d;
                if (off > 3 || acc > 0xffff) return false;
            }
            if (off == 0) return false;
            if (off < s.length() && s.charAt(off) == '.') {
                if (ellipsis < 0 && i != 12) return false;
                if (i + 4 > 16) return false;
                if (!isIPv4(s)) return false;
                s = "";
                i += 4;
                break;
            }
            i += 2;
            s = s.substring(off);
            if (s.isEmpty()) break;
            if (s.charAt(0) != ':' || s.length() == 1) return false;
            s = s.substring(1);
            if (s.charAt(0) == ':') {
                if (ellipsis >= 0) return false;
                ellipsis = i;
                s = s.substring(1);
                if (s.isEmpty()) break;
            }
        }
        if (!s.isEmpty()) return false;
        if (i < 16) return ellipsis >= 0;
        return ellipsis < 0;
    }

    /** url.URL.Path of the external URL: the decoded path, or "" when it does not parse. */
    static String urlPath(String url) {
        if (url == null || url.isEmpty()) return "";
        try {
            String p = new URI(url).getPath();
            return p == null ? "" : p;
        } catch (URISyntaxException e) {
            return "";
        }
    }
}
