package tally.server.web;

/** A web configuration file that cannot be used; the message names the file and what is wrong. */
public final class WebConfigException extends Exception {
    public WebConfigException(String message) {
        super(message, null, false, false);
    }

    public WebConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
