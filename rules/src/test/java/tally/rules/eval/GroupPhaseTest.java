package tally.rules.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class GroupPhaseTest {
    private static long xx(String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        return GroupPhase.xxHash64(b, b.length);
    }

    @Test
    void xxHash64MatchesTheReferenceVectors() {
        // the reference implementation's values (python-xxhash), short inputs and one past the 32-byte stripe
        assertEquals(0xef46db3751d8e999L, xx(""));
        assertEquals(0xd24ec4f1a98c6e5bL, xx("a"));
        assertEquals(0x44bc2cf5ad770999L, xx("abc"));
        assertEquals(0xfbcea83c8a378bf1L, xx("Nobody inspects the spammish repetition"));
    }

    @Test
    void groupHashIsPrometheusLabelsHashOfFileAndName() {
        assertEquals(0xb63b7f17f860f19fL, GroupPhase.labelsHash("rules.yml", "example"));
        assertEquals(0xa7657c649a89a022L, GroupPhase.labelsHash("/etc/prometheus/claude-code.rules.yml", "claude-code-ratios"));
    }

    @Test
    void offsetIsTheUnsignedHashModuloTheIntervalInNanoseconds() {
        long h = 0xa7657c649a89a022L; // negative as a signed long: the modulo must be unsigned, as Go's uint64 %
        assertEquals(Long.remainderUnsigned(h, 60_000_000_000L),
                GroupPhase.offsetNanos("/etc/prometheus/claude-code.rules.yml", "claude-code-ratios", 60_000_000_000L));
    }
}
