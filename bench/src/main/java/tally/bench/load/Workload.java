package tally.bench.load;

import java.io.IOException;
import java.util.Map;

/** A seeded, deterministic load: it hands out consecutive windows; each stream owns its series. */
interface Workload {
    interface WindowSink {
        void accept(Window w) throws IOException;
    }

    String name();

    int streams();

    long startMs();

    /** Generates every window in time order. A window's blocks may be reused after accept returns. */
    void generate(WindowSink sink) throws IOException;

    /** The parameters that reproduce this workload, for the manifest. */
    Map<String, Object> params();

    /** How many distinct series were generated (valid after generate). */
    long seriesCount();
}
