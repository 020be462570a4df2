package tally.storage.head;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import tally.model.Labels;

class MemPostingsTest {
    @Test
    void addAndRemoveKeepEveryListExact() {
        MemPostings p = new MemPostings();
        Random r = new Random(3);
        List<MemSeries> live = new ArrayList<>();
        long nextId = 1;
        for (int op = 0; op < 20_000; op++) {
            if (!live.isEmpty() && r.nextInt(5) < 2) {
                MemSeries s = live.remove(r.nextInt(live.size()));
                p.remove(s);
            } else {
                long id = nextId++;
                // label sets differ in size, so a shared label sits at different positions
                MemSeries s = id % 2 == 0
                        ? new MemSeries(id, Labels.of("__name__", "m" + (id % 3), "session_id", "s" + (id / 20), "k", "v"))
                        : new MemSeries(id, Labels.of("__name__", "m" + (id % 3), "a", "x", "b", "y", "k", "v", "session_id", "s" + (id / 20)));
                p.add(s);
                live.add(s);
            }
        }
        assertEquals(live.size(), p.allCount());
        assertEquals(new HashSet<>(live), Set.of(p.all()));
        for (int m = 0; m < 3; m++) {
            String name = "m" + m;
            Set<MemSeries> want = live.stream().filter(s -> s.labels.get("__name__").equals(name)).collect(Collectors.toSet());
            assertEquals(want, new HashSet<>(Arrays.asList(p.get("__name__", name))));
        }
        Set<String> sessions = live.stream().map(s -> s.labels.get("session_id")).collect(Collectors.toSet());
        assertEquals(sessions, new HashSet<>(p.values("session_id")), "emptied session lists are dropped");
    }
}
