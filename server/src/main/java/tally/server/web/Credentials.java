package tally.server.web;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The credentials of an {@code Authorization} header: {@code Basic base64(user:password)} or {@code Bearer token}
 * (schemes are case-insensitive). Null for anything else, as Go's Request.BasicAuth reports "no basic auth".
 *
 * @param user null for a bearer token
 */
record Credentials(String user, String secret) {
    boolean basic() {
        return user != null;
    }

    static Credentials parse(String header) {
        if (header == null) return null;
        String h = header.strip();
        if (h.regionMatches(true, 0, "Basic ", 0, 6)) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(h.substring(6).strip()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return null;
            }
            int colon = decoded.indexOf(':');
            return colon < 0 ? null : new Credentials(decoded.substring(0, colon), decoded.substring(colon + 1));
        }
        if (h.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String token = h.substring(7).strip();
            return token.isEmpty() ? null : new Credentials(null, token);
        }
        return null;
    }
}
