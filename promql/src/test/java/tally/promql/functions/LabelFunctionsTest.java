package tally.promql.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import tally.model.Labels;

class LabelFunctionsTest {
    private static final Labels IN = Labels.of("__name__", "up", "src", "source-value-10", "dst", "orig");

    @Test
    void replaceExpandsGroupReferences() {
        assertEquals("destination-value-10", new LabelFunctions.Replace("dst", "destination-value-$1", "src",
                "source-value-(.*)").apply(IN).get("dst"));
        assertEquals("10-x", new LabelFunctions.Replace("dst", "${1}-x", "src", "source-value-(.*)").apply(IN).get("dst"));
        assertEquals(null, new LabelFunctions.Replace("foo", "$1x", "src", "source-value-(.*)").apply(IN).get("foo"),
                "$1x names the (absent) group \"1x\": empty value, so no label");
        assertEquals("10", new LabelFunctions.Replace("dst", "$num", "src", "source-value-(?P<num>.*)").apply(IN).get("dst"));
        assertEquals("$10", new LabelFunctions.Replace("dst", "$$$1", "src", "source-value-(.*)").apply(IN).get("dst"));
    }

    @Test
    void replaceIsAnchoredAndKeepsLabelsWhenNoMatch() {
        assertSame(IN, new LabelFunctions.Replace("dst", "x", "src", "value-(.*)").apply(IN));
        assertEquals(null, new LabelFunctions.Replace("dst", "", "src", "(.*)").apply(IN).get("dst"), "empty value removes");
        assertEquals("x", new LabelFunctions.Replace("new", "x", "missing", "").apply(IN).get("new"), "absent = empty string");
    }

    @Test
    void dotMatchesNewline() {
        Labels l = Labels.of("a", "x\ny");
        assertEquals("ok", new LabelFunctions.Replace("b", "ok", "a", "x.y").apply(l).get("b"));
    }

    @Test
    void invalidArguments() {
        assertThrows(IllegalArgumentException.class, () -> new LabelFunctions.Replace("dst", "", "src", "(.*"));
        assertThrows(IllegalArgumentException.class, () -> new LabelFunctions.Replace("", "", "src", "(.*)"));
    }

    @Test
    void join() {
        assertEquals("up-orig", LabelFunctions.join(IN, "j", "-", List.of("__name__", "dst")).get("j"));
        assertEquals("up--orig", LabelFunctions.join(IN, "j", "-", List.of("__name__", "missing", "dst")).get("j"));
    }
}
