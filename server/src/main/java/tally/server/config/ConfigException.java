package tally.server.config;

/** An unusable flag or config-file value; the message is one line that names the flag. */
public final class ConfigException extends Exception {
    public ConfigException(String message) {
        super(message, null, false, false);
    }
}
