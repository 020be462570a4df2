package tally.bench.load;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Who works when: developers in three regions (time zones), weekday/weekend activity, working hours,
 * and their sessions of 5-120 minutes. About 40 % of developers run a second, parallel lane of sessions.
 */
final class ClaudePlan {
    static final String[] TERMINALS = {"vscode", "iTerm.app", "cursor", "tmux", "Apple_Terminal", "jetbrains", "ghostty", "WezTerm"};
    static final String[] LANGUAGES = {"TypeScript", "Python", "Java", "Go", "Rust", "JavaScript", "Markdown", "YAML"};
    /** UTC offsets of the three regions: Americas, Europe, Asia-Pacific. */
    static final int[] REGION_UTC_OFFSET_H = {-6, 1, 8};

    static final class Developer {
        final int index;
        final String accountUuid;
        final String organizationId;
        final String terminal;
        final String os;
        final String language;
        final String secondLanguage;
        final boolean parallel;
        final int upgradeLagDays;
        final double opusShare;

        Developer(int index, SplittableRandom rnd, String[] orgs) {
            this.index = index;
            accountUuid = uuid(rnd);
            organizationId = orgs[rnd.nextInt(orgs.length)];
            terminal = TERMINALS[Math.min(TERMINALS.length - 1, (int) (Math.abs(rnd.nextGaussian()) * 2.5))];
            os = rnd.nextDouble() < 0.6 ? "darwin" : "linux";
            language = LANGUAGES[rnd.nextInt(LANGUAGES.length)];
            secondLanguage = LANGUAGES[rnd.nextInt(LANGUAGES.length)];
            parallel = rnd.nextDouble() < 0.4;
            upgradeLagDays = rnd.nextInt(5);
            opusShare = rnd.nextDouble() * 0.5;
        }
    }

    static final class Session {
        final Developer dev;
        final long startMs;
        final int minutes;
        final int day;
        int seq;

        Session(Developer dev, long startMs, int minutes, int day) {
            this.dev = dev;
            this.startMs = startMs;
            this.minutes = minutes;
            this.day = day;
        }

        long endMs() {
            return startMs + minutes * 60_000L;
        }
    }

    final List<Developer> developers = new ArrayList<>();
    final List<Session> sessions = new ArrayList<>();

    ClaudePlan(int users, int days, long startMs, long seed) {
        SplittableRandom orgRnd = new SplittableRandom(seed);
        String[] orgs = new String[Math.max(1, users / 50)];
        for (int i = 0; i < orgs.length; i++) orgs[i] = uuid(orgRnd);
        int startDow = (int) Math.floorMod(startMs / 86_400_000L + 3, 7); // 1970-01-01 was a Thursday; 0 = Monday
        for (int u = 0; u < users; u++) {
            SplittableRandom rnd = new SplittableRandom(seed * 1_000_003L + u);
            Developer dev = new Developer(u, rnd, orgs);
            developers.add(dev);
            int offsetH = REGION_UTC_OFFSET_H[u % REGION_UTC_OFFSET_H.length];
            double workStartH = 8 + rnd.nextDouble() * 2;
            double workHours = 8 + rnd.nextDouble() * 2;
            for (int d = 0; d < days; d++) {
                boolean weekend = (startDow + d) % 7 >= 5;
                if (rnd.nextDouble() >= (weekend ? 0.12 : 0.9)) continue;
                long dayStart = startMs + d * 86_400_000L + (long) ((workStartH - offsetH) * 3_600_000L);
                long dayEnd = dayStart + (long) ((weekend ? 3 : workHours) * 3_600_000L);
                lane(dev, d, dayStart, dayEnd, 33, rnd);
                if (dev.parallel) lane(dev, d, dayStart + (long) (rnd.nextDouble() * 7_200_000L), dayEnd, 60, rnd);
            }
        }
        sessions.removeIf(s -> s.startMs < startMs);
        sessions.sort((a, b) -> Long.compare(a.startMs, b.startMs));
        for (int i = 0; i < sessions.size(); i++) sessions.get(i).seq = i;
    }

    private void lane(Developer dev, int day, long from, long to, double meanGapMin, SplittableRandom rnd) {
        long t = from + (long) (rnd.nextDouble() * 1_800_000L);
        while (t < to) {
            int minutes = 5 + (int) Math.min(115, -Math.log(1 - rnd.nextDouble()) * 37);
            sessions.add(new Session(dev, t, minutes, day));
            double gap = 2 + -Math.log(1 - rnd.nextDouble()) * meanGapMin;
            t += (minutes + (long) gap) * 60_000L;
        }
    }

    static String uuid(SplittableRandom rnd) {
        long hi = (rnd.nextLong() & ~0xF000L) | 0x4000L;
        long lo = (rnd.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(hi, lo).toString();
    }
}
