package tally.storage.head;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tally.model.Labels;

class SeriesByIdTest {
    @Test
    void behavesLikeAMapUnderRandomChurn() {
        SeriesById map = new SeriesById();
        Map<Long, MemSeries> ref = new HashMap<>();
        Random r = new Random(1);
        for (int op = 0; op < 200_000; op++) {
            long id = r.nextInt(5000) + 1;
            if (r.nextInt(3) == 0) {
                map.remove(id);
                ref.remove(id);
            } else if (!ref.containsKey(id)) {
                MemSeries s = new MemSeries(id, Labels.of("id", Long.toString(id)));
                map.put(s);
                ref.put(id, s);
            }
            if (op % 1000 == 0) {
                for (long k = 1; k <= 5000; k++) assertSame(ref.get(k), map.get(k), "id " + k + " after op " + op);
            }
        }
        Set<Long> visited = new HashSet<>();
        map.forEach(s -> assertEquals(true, visited.add(s.id)));
        assertEquals(ref.keySet(), visited);
    }

    @Test
    void aliasesResolveButAreNotVisited() {
        SeriesById map = new SeriesById();
        MemSeries s = new MemSeries(7, Labels.of("a", "b"));
        map.put(s);
        map.putAlias(3, s);
        assertSame(s, map.get(3));
        int[] count = {0};
        map.forEach(x -> count[0]++);
        assertEquals(1, count[0]);
        map.removeAlias(3);
        assertNull(map.get(3));
        assertSame(s, map.get(7));
    }
}
