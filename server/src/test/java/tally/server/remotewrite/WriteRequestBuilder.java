package tally.server.remotewrite;

import com.google.protobuf.CodedOutputStream;
import org.xerial.snappy.Snappy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Builds prompb.WriteRequest bytes by hand for tests (independent of the decoder under test). */
public final class WriteRequestBuilder {
    private final List<byte[]> series = new ArrayList<>();
    private final List<byte[]> metadata = new ArrayList<>();

    /** Labels as alternating names and values, in the order given (tests send unsorted ones on purpose). */
    public final class Series {
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();
        private final CodedOutputStream out = CodedOutputStream.newInstance(body);

        Series(String... labels) throws IOException {
            for (int i = 0; i < labels.length; i += 2) {
                ByteArrayOutputStream lb = new ByteArrayOutputStream();
                CodedOutputStream l = CodedOutputStream.newInstance(lb);
                l.writeString(1, labels[i]);
                l.writeString(2, labels[i + 1]);
                l.flush();
                out.writeByteArray(1, lb.toByteArray());
            }
        }

        public Series sample(long t, double v) throws IOException {
            ByteArrayOutputStream sb = new ByteArrayOutputStream();
            CodedOutputStream s = CodedOutputStream.newInstance(sb);
            s.writeDouble(1, v);
            s.writeInt64(2, t);
            s.flush();
            out.writeByteArray(2, sb.toByteArray());
            return this;
        }

        public Series exemplar() throws IOException {
            out.writeByteArray(3, new byte[] {0x11, 0, 0, 0, 0, 0, 0, (byte) 0xf0, 0x3f}); // value = 1.0
            return this;
        }

        public Series histogram() throws IOException {
            out.writeByteArray(4, new byte[] {0x08, 0x05}); // count_int = 5
            return this;
        }

        public WriteRequestBuilder done() throws IOException {
            out.flush();
            series.add(body.toByteArray());
            return WriteRequestBuilder.this;
        }
    }

    public Series series(String... labels) throws IOException {
        return new Series(labels);
    }

    public WriteRequestBuilder metadata(int type, String family, String help, String unit) throws IOException {
        ByteArrayOutputStream mb = new ByteArrayOutputStream();
        CodedOutputStream m = CodedOutputStream.newInstance(mb);
        m.writeEnum(1, type);
        m.writeString(2, family);
        m.writeString(4, help);
        m.writeString(5, unit);
        m.flush();
        metadata.add(mb.toByteArray());
        return this;
    }

    public byte[] bytes() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(b);
        for (byte[] s : series) out.writeByteArray(1, s);
        for (byte[] m : metadata) out.writeByteArray(3, m);
        out.flush();
        return b.toByteArray();
    }

    public byte[] snappy() throws IOException {
        return Snappy.compress(bytes());
    }
}
