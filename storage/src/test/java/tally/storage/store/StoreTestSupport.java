package tally.storage.store;

import java.util.ArrayList;
import java.util.List;
import tally.model.Labels;
import tally.model.Matcher;

/** Helpers shared by the store tests. */
final class StoreTestSupport {
    static final long DAY = StoreOptions.DAY_MILLIS;

    private StoreTestSupport() {}

    static StoreOptions tiny() {
        return new StoreOptions(DAY, 1000 * DAY, 0, 20, 50);
    }

    static Labels claude(String metric, String session, String model) {
        return Labels.of("__name__", metric, "job", "claude-code", "session_id", session, "model", model);
    }

    /** A chunk whose bytes encode where it came from, so reads can be checked. */
    static byte[] chunk(Labels l, long minT) {
        return (l.hashCode() + "@" + minT).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    record Read(Labels labels, List<String> chunks, List<long[]> ranges) {}

    static List<Read> readAll(StoreReader r, List<Matcher> ms, long mint, long maxt) {
        List<Read> out = new ArrayList<>();
        for (StoredSeries s : r.select(ms, true)) {
            List<String> cs = new ArrayList<>();
            List<long[]> rs = new ArrayList<>();
            ChunkCursor c = s.chunks(mint, maxt);
            while (c.next()) {
                cs.add(new String(c.array(), c.offset(), c.length(), java.nio.charset.StandardCharsets.UTF_8));
                rs.add(new long[] {c.minT(), c.maxT()});
            }
            out.add(new Read(s.labels(), cs, rs));
        }
        return out;
    }

    static List<Matcher> all() {
        return List.of(Matcher.of(tally.model.MatchType.REGEX, "__name__", ".+"));
    }
}
