package tally.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class LabelsWithoutMetricNameTest {
    @Test
    void removesTheNameWhereverItSorts() {
        assertEquals(Labels.of("a", "1", "b", "2"), Labels.of("__name__", "m", "a", "1", "b", "2").withoutMetricName());
        // upper-case names sort before "__name__", so it can sit in the middle or at the end
        assertEquals(Labels.of("A", "1", "z", "2"), Labels.of("A", "1", "__name__", "m", "z", "2").withoutMetricName());
        assertEquals(Labels.of("A", "1"), Labels.of("A", "1", "__name__", "m").withoutMetricName());
        assertSame(Labels.EMPTY, Labels.of("__name__", "m").withoutMetricName());
        Labels noName = Labels.of("a", "1");
        assertSame(noName, noName.withoutMetricName());
        assertEquals("2", Labels.of("A", "1", "__name__", "m", "z", "2").withoutMetricName().get("z"));
    }
}
