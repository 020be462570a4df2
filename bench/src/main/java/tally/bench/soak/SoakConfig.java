package tally.bench.soak;

import java.nio.file.Path;

/** The harness's flags (bench/soak.sh documents them); defaults make the 30-minute run of issue 13. */
final class SoakConfig {
    long durationMs = 30 * 60_000L;
    long killEveryMs = 4 * 60_000L;
    int diskMb = 512;
    /** When the disk fills, as a fraction of the run; negative skips the phase. */
    double diskAt = 0.6;
    long diskHoldMs = 45_000L;
    int users = 1000;
    long exportIntervalMs = 30_000L;
    /** Users per transport, as shares of --users: remote-write, OTLP/HTTP (delta), OTLP/gRPC (cumulative), OTLP logs (events). */
    double[] shares = {0.3, 0.3, 0.2, 0.2};
    long queryEveryMs = 5_000L;
    Path work = Path.of("/tmp/tally-soak");
    Path out;
    Path repo = Path.of(".");
    long seed = 13;

    static SoakConfig parse(String[] args) {
        SoakConfig c = new SoakConfig();
        for (String a : args) {
            int eq = a.indexOf('=');
            if (!a.startsWith("--") || eq < 0) throw new IllegalArgumentException("expected --name=value, got " + a);
            String k = a.substring(2, eq), v = a.substring(eq + 1);
            switch (k) {
                case "minutes" -> c.durationMs = (long) (Double.parseDouble(v) * 60_000);
                case "kill-every" -> c.killEveryMs = duration(v);
                case "disk-mb" -> c.diskMb = Integer.parseInt(v);
                case "disk-at" -> c.diskAt = Double.parseDouble(v);
                case "disk-hold" -> c.diskHoldMs = duration(v);
                case "users" -> c.users = Integer.parseInt(v);
                case "export-interval" -> c.exportIntervalMs = duration(v);
                case "query-every" -> c.queryEveryMs = duration(v);
                case "work" -> c.work = Path.of(v);
                case "out" -> c.out = Path.of(v);
                case "repo" -> c.repo = Path.of(v);
                case "seed" -> c.seed = Long.parseLong(v);
                default -> throw new IllegalArgumentException("unknown flag --" + k);
            }
        }
        if (c.out == null) c.out = c.work.resolve("soak.json");
        return c;
    }

    /** "90s", "4m", "1h", "500ms" or plain seconds. */
    static long duration(String v) {
        if (v.endsWith("ms")) return Long.parseLong(v.substring(0, v.length() - 2));
        char u = v.charAt(v.length() - 1);
        double n = Character.isDigit(u) ? Double.parseDouble(v) : Double.parseDouble(v.substring(0, v.length() - 1));
        return (long) (n * switch (u) {
            case 'm' -> 60_000;
            case 'h' -> 3_600_000;
            default -> 1_000;
        });
    }
}
