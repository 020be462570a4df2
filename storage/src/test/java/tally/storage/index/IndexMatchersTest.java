package tally.storage.index;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tally.model.Labels;
import tally.model.LabelsBuilder;
import tally.model.MatchType;
import tally.model.Matcher;

/** Matcher selection on the in-memory and the compact index agrees with evaluating every series. */
class IndexMatchersTest {
    @TempDir
    static Path tmp;

    static final List<Labels> SERIES = new ArrayList<>();
    static MutableIndex mutable;
    static CompactIndex compact;

    @BeforeAll
    static void build() throws Exception {
        Random r = new Random(7);
        mutable = new MutableIndex();
        String[] metrics = {"tokens", "cost", "sessions", "lines"};
        String[] models = {"opus", "sonnet", "haiku"};
        for (int i = 0; i < 400; i++) {
            LabelsBuilder b = new LabelsBuilder().set("__name__", metrics[r.nextInt(metrics.length)])
                    .set("session_id", "s" + (i / 25));
            if (r.nextInt(3) > 0) b.set("model", models[r.nextInt(models.length)]);
            if (r.nextInt(5) == 0) b.set("type", r.nextBoolean() ? "input" : "output");
            Labels l = b.build();
            if (mutable.get(l) != null) continue;
            MutableSeries s = mutable.getOrCreate(l, id -> { });
            synchronized (s) {
                s.publish(0, 1000L * i, 1000L * i + 500);
                if (i % 3 == 0) s.publish(1, 1000L * i + 600, 1000L * i + 900);
            }
            SERIES.add(l);
        }
        Path f = tmp.resolve("index.bin");
        CompactIndexWriter.write(mutable, 0, (id, seq) -> new byte[] {(byte) id, (byte) seq, 1}, f, tmp.resolve("chunks.bin"));
        compact = CompactIndex.open(f);
    }

    static List<List<Matcher>> cases() {
        return List.of(
                List.of(Matcher.metricName("tokens")),
                List.of(Matcher.metricName("tokens"), Matcher.of(MatchType.NOT_EQUAL, "model", "opus")),
                List.of(Matcher.of(MatchType.REGEX, "model", "opus|haiku")),
                List.of(Matcher.of(MatchType.REGEX, "model", "o.*|")),
                List.of(Matcher.of(MatchType.NOT_REGEX, "model", "s.*")),
                List.of(Matcher.of(MatchType.NOT_REGEX, "model", "")),
                List.of(Matcher.of(MatchType.NOT_EQUAL, "type", "")),
                List.of(Matcher.equal("type", ""), Matcher.metricName("cost")),
                List.of(Matcher.equal("model", ""), Matcher.of(MatchType.REGEX, "session_id", "s1.*")),
                List.of(Matcher.of(MatchType.REGEX, "nosuch", ".*")),
                List.of(Matcher.of(MatchType.REGEX, "nosuch", ".+")),
                List.of(Matcher.equal("nosuch", "")),
                List.of(Matcher.of(MatchType.NOT_EQUAL, "__name__", "tokens"), Matcher.of(MatchType.NOT_REGEX, "type", "in.*")),
                List.of(Matcher.equal("session_id", "s3"), Matcher.equal("session_id", "s4")),
                // "all" of a dashboard variable: skipped by the index, never narrowing
                List.of(Matcher.metricName("tokens"), Matcher.of(MatchType.REGEX, "model", ".*")),
                List.of(Matcher.of(MatchType.REGEX, "session_id", ".*"), Matcher.of(MatchType.NOT_EQUAL, "model", "opus")),
                List.of(Matcher.of(MatchType.REGEX, "type", "^.*$"), Matcher.of(MatchType.REGEX, "model", "(.*)")),
                List.of(Matcher.of(MatchType.REGEX, "type", ".*")));
    }

    /** What the index skips as matching everything does match every value, a newline's and no value included. */
    @Test
    void matchersSkippedAsMatchingEverythingDoMatchEverything() {
        for (String re : new String[] {".*", "^.*$", "(.*)"}) {
            Matcher m = Matcher.of(MatchType.REGEX, "x", re);
            assertEquals(true, m.matchesEverything(), re);
            for (String v : new String[] {"", "a", "line\nbreak", "\u00e9\u00e8", " "}) assertEquals(true, m.matches(v), re + " " + v);
        }
        for (String re : new String[] {".+", "a.*", ".*a", ""}) assertEquals(false, Matcher.of(MatchType.REGEX, "x", re).matchesEverything(), re);
        assertEquals(false, Matcher.of(MatchType.NOT_REGEX, "x", ".*").matchesEverything());
    }

    @Test
    void bothIndexesAgreeWithBruteForce() {
        for (List<Matcher> ms : cases()) {
            List<Labels> want = new ArrayList<>();
            for (Labels l : SERIES) if (ms.stream().allMatch(m -> m.matches(l))) want.add(l);
            assertEquals(want, resolve(mutable, ms), "mutable " + ms);
            assertEquals(want, resolve(compact, ms), "compact " + ms);
        }
    }

    @Test
    void compactKeepsLabelsChunksAndValues() {
        BlockIndex.SeriesReader a = mutable.seriesReader(), b = compact.seriesReader();
        for (int id = 0; id < mutable.seriesCount(); id++) {
            assertEquals(a.labels(id), b.labels(id));
            List<long[]> ca = new ArrayList<>(), cb = new ArrayList<>();
            a.chunks(id, (ref, len, lo, hi) -> ca.add(new long[] {lo, hi, 3}));
            b.chunks(id, (ref, len, lo, hi) -> cb.add(new long[] {lo, hi, len}));
            assertEquals(ca.size(), cb.size());
            for (int i = 0; i < ca.size(); i++) assertEquals(List.of(ca.get(i)[0], ca.get(i)[1], ca.get(i)[2]),
                    List.of(cb.get(i)[0], cb.get(i)[1], cb.get(i)[2]));
        }
        // random-order access goes through the stride table
        for (int id = mutable.seriesCount() - 1; id >= 0; id -= 7) assertEquals(a.labels(id), b.labels(id));
        assertEquals(mutable.labelNames(), compact.labelNames());
        for (String n : mutable.labelNames()) assertEquals(mutable.labelValues(n), compact.labelValues(n));
    }

    private static List<Labels> resolve(BlockIndex idx, List<Matcher> ms) {
        BlockIndex.SeriesReader r = idx.seriesReader();
        List<Labels> out = new ArrayList<>();
        PostingsIterator it = MatcherPostings.select(idx, ms);
        while (it.next()) out.add(r.labels(it.at()));
        return out;
    }
}
