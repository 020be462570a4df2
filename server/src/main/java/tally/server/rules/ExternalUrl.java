package tally.server.rules;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Prometheus's default --web.external-url: http://<hostname>:<port of the web listener>, no trailing slash. */
final class ExternalUrl {
    private ExternalUrl() {}

    static String defaultFor(int port) {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "localhost";
        }
        return "http://" + host + ":" + port;
    }
}
