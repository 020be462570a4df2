package tally.server.web;

import org.springframework.security.crypto.bcrypt.BCrypt;

import java.util.regex.Pattern;

/**
 * bcrypt through spring-security-crypto (never crypto of our own). All three prefixes users bring verify:
 * {@code $2y$} (htpasswd), {@code $2b$} (Python's bcrypt, OpenBSD) and {@code $2a$} (Go, Java).
 */
final class Bcrypt {
    /** Prefix, two-digit cost, 22 characters of salt and 31 of hash in bcrypt's base64 alphabet. */
    private static final Pattern HASH = Pattern.compile("\\$2[aby]?\\$(\\d\\d)\\$[./A-Za-z0-9]{53}");

    private Bcrypt() {}

    /** Why {@code hash} is not a bcrypt hash Go's bcrypt.Cost would accept, or null when it is one. */
    static String problem(String hash) {
        if (hash.length() < 59) return "crypto/bcrypt: hashedSecret too short to be a bcrypted password";
        var m = HASH.matcher(hash);
        if (!m.matches()) return "not a bcrypt hash (expected $2a$, $2b$ or $2y$, a cost and 53 characters)";
        int cost = Integer.parseInt(m.group(1));
        if (cost < 4 || cost > 31) return "crypto/bcrypt: cost " + cost + " is outside the allowed range (4,31)";
        return null;
    }

    /** True when {@code password} matches; slow on purpose (the hash's cost). */
    static boolean matches(String password, String hash) {
        try {
            return BCrypt.checkpw(password, hash);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** A new hash of {@code secret} at {@code cost}, for {@code tally web-token}. */
    static String hash(String secret, int cost) {
        return BCrypt.hashpw(secret, BCrypt.gensalt(cost));
    }
}
