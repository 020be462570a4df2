package tally.server.fuzz;

import tally.server.config.ServerConfig;
import tally.server.testing.TestServer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A fuzz target that sends each input to a real server ({@link FuzzServer}) and checks the store between inputs:
 * a canary export every {@code canaryEvery} cases, and at the end of every segment of {@code segment} cases (and at
 * {@link #finish}) a full read-back, a restart on the same directory and another read-back; then the next segment
 * starts on a fresh server, so a long run does not pile millions of fuzzed series into one head. When a check fails,
 * the inputs since the previous check are saved as suspects (the case that broke the store is among them).
 */
final class ServerTarget<I> implements FuzzRun.Target<I>, AutoCloseable {
    /** Sends one input; returns the outcome name, throws when the answer breaks the property. */
    @FunctionalInterface
    interface Send<I> {
        String send(TestServer server, I input) throws Exception;
    }

    private final String name;
    private final Consumer<ServerConfig> tweak;
    private final int canaryEvery;
    private final int segment;
    private final Send<I> send;
    private final Function<I, byte[]> bytes;
    private final Deque<I> sinceCheck = new ArrayDeque<>();
    private FuzzServer.Loader data = s -> {};
    private FuzzServer server;
    private long sent;
    private int suspectSets;

    ServerTarget(String name, Consumer<ServerConfig> tweak, int canaryEvery, int segment, Function<I, byte[]> bytes, Send<I> send) {
        this.name = name;
        this.tweak = tweak;
        this.canaryEvery = canaryEvery;
        this.segment = Integer.getInteger("fuzz.segment", segment);
        this.send = send;
        this.bytes = bytes;
    }

    /** More data for every server of the run, written before its baseline is taken. */
    ServerTarget<I> withData(FuzzServer.Loader loader) {
        this.data = loader;
        return this;
    }

    @Override
    public String run(I input) throws Exception {
        if (server == null) {
            server = new FuzzServer(tweak);
            server.loadBaseline(data);
        }
        sinceCheck.add(input);
        String outcome = send.send(server.server(), input);
        sent++;
        if (sent % canaryEvery == 0) check(() -> server.canary());
        if (sent % segment == 0) endSegment();
        return outcome;
    }

    /** The last segment's checks; call once the run is over. */
    void finish() throws Exception {
        if (server != null) endSegment();
    }

    private void endSegment() throws Exception {
        check(() -> {
            server.canary();
            server.verify("after " + sent + " cases");
            server.restart();
            server.verify("after " + sent + " cases and a restart");
            server.canary();
        });
        server.close();
        server = null;
    }

    private interface Check {
        void run() throws Exception;
    }

    private void check(Check c) throws Exception {
        try {
            c.run();
            sinceCheck.clear();
        } catch (Throwable t) {
            String saved = saveSuspects();
            if (server != null) server.close();
            server = null; // the next case starts on a fresh server
            throw new AssertionError(t.getMessage() + " (the cause is among the " + saved + ")", t);
        }
    }

    private String saveSuspects() {
        int set = suspectSets++;
        int n = 0;
        try {
            Path dir = Path.of("target", "fuzz-failures", name, "suspects-" + set);
            Files.createDirectories(dir);
            for (I in : sinceCheck) Files.write(dir.resolve(String.format("%05d.bin", n++)), bytes.apply(in));
            sinceCheck.clear();
            return n + " inputs saved in " + dir;
        } catch (IOException e) {
            return "inputs since the last check (not saved: " + e + ")";
        }
    }

    @Override
    public void close() {
        if (server != null) server.close();
        server = null;
    }
}
