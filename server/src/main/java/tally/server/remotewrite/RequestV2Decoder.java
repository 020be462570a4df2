package tally.server.remotewrite;

import java.util.Arrays;
import tally.server.ingest.StringCache;

/**
 * Hand-written decoder for remote-write 2.0's {@code io.prometheus.write.v2.Request}
 * (prompb/io/prometheus/write/v2/types.proto) that reads the protobuf wire format in place, like
 * {@link WriteRequestDecoder} does for 1.0. One instance per thread.
 *
 * <pre>
 * Request    { reserved 1 to 3; repeated string symbols = 4; repeated TimeSeries timeseries = 5; }
 * TimeSeries { repeated uint32 labels_refs = 1; repeated Sample samples = 2; repeated Histogram histograms = 3;
 *              repeated Exemplar exemplars = 4; Metadata metadata = 5; reserved 6; }
 * Sample     { double value = 1; int64 timestamp = 2; int64 start_timestamp = 3; }
 * Metadata   { MetricType type = 1; uint32 help_ref = 3; uint32 unit_ref = 4; }
 * </pre>
 *
 * Two passes over the message: the first checks its framing and notes where each symbol is (protobuf allows the
 * symbols after the series that use them), the second decodes the series. A symbol becomes a String the first time
 * a series refers to it (through a small cache, so repeated names and values allocate nothing). Labels refs are
 * read packed or unpacked, as protobuf parsers must. A malformed message throws {@link ProtoException} (the
 * request is refused whole); a series whose refs do not resolve is passed to the sink with its problem (only that
 * series is refused).
 */
public final class RequestV2Decoder extends ProtoReader {

    private final StringCache strings = new StringCache();

    /** Symbol i's bytes are buf[symOff[i] .. symOff[i] + symLen[i]); resolved[i] its String once needed. */
    private int[] symOff = new int[1024];
    private int[] symLen = new int[1024];
    private String[] resolved = new String[1024];
    private int symbols;
    /** The time series being decoded, counted from 0 (named in problems). */
    private int seriesIndex;

    private long[] refs = new long[64];
    private String[] kv = new String[32];

    public void decode(byte[] data, int length, RequestV2Sink sink) throws ProtoException {
        buf = data;
        try {
            collectSymbols(length);
            pos = 0;
            seriesIndex = 0;
            while (pos < length) {
                int tag = readTag(length);
                if (tag == (5 << 3 | LEN)) {
                    int len = readLength(length);
                    timeSeries(pos + len, sink);
                } else {
                    skip(tag & 7, length);
                }
            }
        } finally {
            buf = null;
            Arrays.fill(resolved, 0, symbols, null); // do not pin the request's strings in the thread's decoder
            symbols = 0;
        }
    }

    /** First pass: the framing of the whole message, and where each symbol is. */
    private void collectSymbols(int length) throws ProtoException {
        symbols = 0;
        pos = 0;
        while (pos < length) {
            int tag = readTag(length);
            if (tag == (4 << 3 | LEN)) {
                int len = readLength(length);
                if (symbols == symOff.length) {
                    int n = symbols * 2;
                    symOff = Arrays.copyOf(symOff, n);
                    symLen = Arrays.copyOf(symLen, n);
                    resolved = Arrays.copyOf(resolved, n);
                }
                symOff[symbols] = pos;
                symLen[symbols] = len;
                symbols++;
                pos += len;
            } else {
                skip(tag & 7, length);
            }
        }
        if (pos != length) throw new ProtoException("message overruns its end");
    }

    private String symbol(int i) {
        String s = resolved[i];
        if (s == null) resolved[i] = s = strings.get(buf, symOff[i], symLen[i]);
        return s;
    }

    private void timeSeries(int end, RequestV2Sink sink) throws ProtoException {
        int nrefs = 0, samples = 0, histograms = 0, exemplars = 0;
        long type = 0, helpRef = 0, unitRef = 0;
        while (pos < end) {
            int tag = readTag(end);
            int field = tag >>> 3, wire = tag & 7;
            if (field == 1 && wire == LEN) { // packed labels_refs
                int rendLen = readLength(end); // read before adding: pos moves past the length varint
                int rend = pos + rendLen;
                while (pos < rend) {
                    if (nrefs == refs.length) refs = Arrays.copyOf(refs, nrefs * 2);
                    refs[nrefs++] = readVarint64(rend);
                }
            } else if (field == 1 && wire == VARINT) { // unpacked
                if (nrefs == refs.length) refs = Arrays.copyOf(refs, nrefs * 2);
                refs[nrefs++] = readVarint64(end);
            } else if (field == 2 && wire == LEN) {
                int sendLen = readLength(end); // read before adding: pos moves past the length varint
                readSample(samples++, pos + sendLen);
            } else if (field == 3 && wire == LEN) {
                int hlen = readLength(end); // read before adding: pos moves past the length varint
                pos += hlen;
                histograms++;
            } else if (field == 4 && wire == LEN) {
                int elen = readLength(end);
                pos += elen;
                exemplars++;
            } else if (field == 5 && wire == LEN) {
                int mendLen = readLength(end);
                int mend = pos + mendLen;
                while (pos < mend) {
                    int mt = readTag(mend);
                    if (mt == (1 << 3 | VARINT)) type = readVarint64(mend);
                    else if (mt == (3 << 3 | VARINT)) helpRef = readVarint64(mend);
                    else if (mt == (4 << 3 | VARINT)) unitRef = readVarint64(mend);
                    else skip(mt & 7, mend);
                }
            } else {
                skip(wire, end);
            }
        }
        if (pos != end) throw new ProtoException("time series overruns its end");

        String problem = null;
        int labels = nrefs / 2;
        if ((nrefs & 1) != 0) {
            problem = "odd number of label refs (" + nrefs + "): they must come in name, value pairs";
        } else {
            if (2 * labels > kv.length) kv = new String[Math.max(2 * labels, kv.length * 2)];
            for (int i = 0; i < nrefs; i++) {
                long r = refs[i];
                if (r < 0 || r >= symbols) {
                    problem = "label ref " + Long.toUnsignedString(r) + " (" + (i % 2 == 0 ? "name" : "value") + ") outside of the symbols table (size "
                            + symbols + ")";
                    break;
                }
                kv[i] = symbol((int) r);
            }
        }
        String help = "", unit = "";
        if (problem == null) {
            if (helpRef < 0 || helpRef >= symbols) {
                problem = "metadata help_ref " + Long.toUnsignedString(helpRef) + " outside of the symbols table (size " + symbols + ")";
            } else if (unitRef < 0 || unitRef >= symbols) {
                problem = "metadata unit_ref " + Long.toUnsignedString(unitRef) + " outside of the symbols table (size " + symbols + ")";
            } else {
                if (helpRef != 0) help = symbol((int) helpRef);
                if (unitRef != 0) unit = symbol((int) unitRef);
            }
        }
        if (problem != null) problem = "time series #" + seriesIndex + " of the request: " + problem;
        seriesIndex++;
        sink.series(kv, problem == null ? labels : 0, ts, vs, samples, histograms, exemplars, (int) type, help, unit, problem);
    }
}
