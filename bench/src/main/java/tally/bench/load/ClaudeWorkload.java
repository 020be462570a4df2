package tally.bench.load;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** U developers x D days of Claude Code sessions, in the Prometheus view (cumulative counters every 60 s). */
final class ClaudeWorkload implements Workload {
    private final int users;
    private final int days;
    private final long startMs;
    private final long seed;
    private final int streams;
    private long series;

    ClaudeWorkload(int users, int days, long startMs, long seed, int streams) {
        this.users = users;
        this.days = days;
        this.startMs = startMs;
        this.seed = seed;
        this.streams = streams;
    }

    @Override public String name() { return "claude"; }
    @Override public int streams() { return streams; }
    @Override public long startMs() { return startMs; }
    @Override public long seriesCount() { return series; }

    @Override
    public Map<String, Object> params() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("users", users);
        p.put("days", days);
        p.put("seed", seed);
        return p;
    }

    @Override
    public void generate(WindowSink sink) throws IOException {
        ClaudePlan plan = new ClaudePlan(users, days, startMs, seed);
        List<ClaudePlan.Session> all = plan.sessions;
        List<ClaudeSession> active = new ArrayList<>();
        int next = 0;
        for (int index = 0; next < all.size() || !active.isEmpty(); index++) {
            Window w = new Window(index, startMs + index * Window.LENGTH_MS, streams);
            while (next < all.size() && all.get(next).startMs < w.endMs()) {
                active.add(new ClaudeSession(all.get(next++), seed, streams));
            }
            for (ClaudeSession s : active) s.run(w);
            active.removeIf(s -> {
                if (!s.done()) return false;
                series += s.seriesCreated;
                return true;
            });
            if (w.samples() > 0) sink.accept(w);
        }
    }
}
