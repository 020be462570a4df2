package tally.storage.index;

import java.nio.charset.StandardCharsets;
import tally.model.Labels;

/** Plain self-contained label encoding (count, then name/value strings) for the write-ahead series map. */
public final class LabelsCodec {
    private LabelsCodec() {}

    public static byte[] encode(Labels labels) {
        ByteSink out = new ByteSink(16 + labels.size() * 24);
        out.putUvarint(labels.size());
        for (int i = 0; i < labels.size(); i++) {
            out.putString(labels.name(i));
            out.putString(labels.value(i));
        }
        return out.toByteArray();
    }

    public static Labels decode(byte[] b) {
        int[] pos = {0};
        int n = (int) Varint.getUnsigned(b, pos);
        String[] kv = new String[n * 2];
        for (int i = 0; i < kv.length; i++) {
            int len = (int) Varint.getUnsigned(b, pos);
            kv[i] = new String(b, pos[0], len, StandardCharsets.UTF_8);
            pos[0] += len;
        }
        return Labels.wrapSorted(kv);
    }
}
