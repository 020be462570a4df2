package tally.server.config;

import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * One flag, defined in one place: its name, its default as typed on the command line (what --help shows and what a
 * new {@link ServerConfig} holds), its help, how a value is parsed into the configuration, and how the configuration's
 * current value is printed for /api/v1/status/flags.
 */
record Flag<T>(String name, String defaultValue, String help, boolean bool, Function<String, T> parse,
               BiConsumer<ServerConfig, T> set, Function<ServerConfig, T> get, Function<T, String> print) {

    /** Parses {@code value} and stores it; parse errors propagate (IllegalArgumentException, NumberFormatException). */
    void apply(ServerConfig c, String value) {
        set.accept(c, parse.apply(value));
    }

    /** The value {@code c} holds, printed as the flag's value. */
    String current(ServerConfig c) {
        return print.apply(get.apply(c));
    }
}
