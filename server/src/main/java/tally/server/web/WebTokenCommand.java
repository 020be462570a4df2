package tally.server.web;

import java.io.PrintStream;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;

/**
 * {@code tally web-token NAME}: a new write-only ingest token (32 random bytes, base64url) and the line that
 * allows it in the web config file, with only its bcrypt hash: the token itself is shown once and stored nowhere.
 */
public final class WebTokenCommand {
    private static final int COST = 10;

    private WebTokenCommand() {}

    public static int run(List<String> args, PrintStream out, PrintStream err) {
        if (args.size() != 1 || args.get(0).startsWith("-") || !args.get(0).matches("[A-Za-z0-9_.@-]+")) {
            err.println("usage: tally web-token NAME   (NAME: letters, digits, _ . @ -; it names the token in the web config file)");
            return 2;
        }
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String token = "tly_" + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        out.println("# Add to the file --web.config.file names (under an existing " + WebConfigParser.TOKENS_KEY + ": if there is one):");
        out.println(WebConfigParser.TOKENS_KEY + ":");
        out.println("  " + args.get(0) + ": " + Bcrypt.hash(token, COST));
        out.println();
        out.println("# The token (shown only now; it can send data to Tally, not read it):");
        out.println(token);
        out.println();
        out.println("# Claude Code:  ./tally setup-claude --token " + token);
        out.println("# Other OTLP senders:  OTEL_EXPORTER_OTLP_HEADERS='Authorization=Bearer%20" + token + "'");
        out.println("# Prometheus remote_write:  authorization: {type: Bearer, credentials: " + token + "}");
        return 0;
    }
}
