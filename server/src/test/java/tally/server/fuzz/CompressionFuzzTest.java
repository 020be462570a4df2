package tally.server.fuzz;

import com.sun.management.ThreadMXBean;
import org.junit.jupiter.api.Test;
import tally.server.ingest.BodyTooLargeException;
import tally.server.ingest.Decompression;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Fuzz target 4: gzip and deflate bodies, truncated, corrupted, in concatenated members, with optional gzip header
 * fields, and bombs (10 MB of zeros in 10 KB, 50 MB in five members). Two properties: {@link Decompression} called
 * directly returns at most the cap or refuses, and allocates no more than a few times the cap while doing it (so it
 * never inflated a bomb past the cap); and through the real server every such body is answered 200, 400, 413 or 415
 * with a message, the store whole. Long run: {@code bench/fuzz.sh compression 1000000}.
 */
class CompressionFuzzTest {
    private static final int CAP = 1 << 20;
    /** What decoding may allocate at most: the output buffer growing to the cap, its copy, and the inflater's buffers. */
    private static final long ALLOCATION_BOUND = 4L * CAP + (1 << 20);
    private static final String[] OTHER_ENCODINGS = {"x-gzip", "GZIP", " gzip ", "gzip, deflate", "br", "identity", "", "compress"};

    private static final List<CompressedSeeds.Seed> SEEDS = CompressedSeeds.all();
    private static final Mutator MUTATOR = new Mutator(bytesOf(SEEDS), List.of(), 256 << 10, false);

    record Input(String encoding, boolean json, byte[] body) {}

    static Input next(SplittableRandom r) {
        CompressedSeeds.Seed seed = SEEDS.get(r.nextInt(SEEDS.size()));
        byte[] body = r.nextInt(4) == 0 ? seed.bytes() : MUTATOR.mutate(seed.bytes(), r);
        String encoding = r.nextInt(10) == 0 ? OTHER_ENCODINGS[r.nextInt(OTHER_ENCODINGS.length)] : seed.encoding();
        return new Input(encoding, seed.json(), body);
    }

    @Test
    void decompressionNeverGoesPastItsCap() throws Exception {
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        FuzzRun<Input> run = new FuzzRun<>("compression-direct", 10_000, 4, CompressionFuzzTest::next, in -> {
            long before = threads.getCurrentThreadAllocatedBytes();
            String outcome;
            try {
                byte[] out = Decompression.decode(in.encoding(), in.body(), CAP);
                if (out.length > CAP) throw new AssertionError(out.length + " bytes returned, over the cap of " + CAP);
                outcome = "decoded";
            } catch (BodyTooLargeException e) {
                outcome = "too large";
            } catch (IOException e) {
                outcome = "corrupt: " + Replies.reason(String.valueOf(e.getMessage()));
            } catch (Decompression.UnsupportedEncodingException e) {
                outcome = "unsupported encoding";
            }
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            if (allocated > ALLOCATION_BOUND) {
                throw new AssertionError(outcome + " after allocating " + allocated + " bytes for a " + in.body().length
                        + "-byte body, over " + ALLOCATION_BOUND + " for a cap of " + CAP);
            }
            return outcome;
        }, in -> new HttpCase("otlp", "/v1/metrics", "application/x-protobuf", in.encoding(), in.body()).toBytes());
        FuzzRun.Report report = run.run();
        assertEquals(List.of(), report.failures(), report.summary());
    }

    @Test
    void compressedBodiesAreAnswered2xxOr4xxThroughTheServer() throws Exception {
        try (ServerTarget<HttpCase> target = new ServerTarget<>("compression-http", c -> c.maxRequestBytes = CAP, 25, 20_000,
                HttpCase::toBytes, (s, c) -> c.send(s))) {
            FuzzRun<HttpCase> run = new FuzzRun<>("compression-http", 800, 5, r -> {
                Input in = next(r);
                boolean logs = r.nextInt(4) == 0;
                boolean web = r.nextInt(4) == 0;
                return new HttpCase(web ? "web" : "otlp", (web ? "/api/v1/otlp" : "") + (logs ? "/v1/logs" : "/v1/metrics"),
                        in.json() ? "application/json" : "application/x-protobuf", in.encoding(), in.body());
            }, target, HttpCase::toBytes);
            FuzzRun.Report report = run.run();
            target.finish();
            assertEquals(List.of(), report.failures(), report.summary());
        }
    }

    private static List<byte[]> bytesOf(List<CompressedSeeds.Seed> seeds) {
        List<byte[]> out = new ArrayList<>();
        for (CompressedSeeds.Seed s : seeds) out.add(s.bytes());
        return out;
    }
}
