package tally.server.remotewrite;

import tally.server.ingest.StringCache;

import java.util.Arrays;

/**
 * Hand-written decoder for prompb.WriteRequest (remote-write 1.0) that reads the protobuf wire
 * format in place: no generated classes, arrays reused across series, strings interned through a
 * small cache. One instance per thread.
 *
 * <pre>
 * WriteRequest { repeated TimeSeries timeseries = 1; repeated MetricMetadata metadata = 3; }
 * TimeSeries   { repeated Label labels = 1; repeated Sample samples = 2; repeated Exemplar exemplars = 3; repeated Histogram histograms = 4; }
 * Label        { string name = 1; string value = 2; }
 * Sample       { double value = 1; int64 timestamp = 2; }
 * MetricMetadata { MetricType type = 1; string metric_family_name = 2; string help = 4; string unit = 5; }
 * </pre>
 */
public final class WriteRequestDecoder extends ProtoReader {

    private final StringCache strings = new StringCache();

    private String[] kv = new String[32];

    public void decode(byte[] data, int length, WriteRequestSink sink) throws ProtoException {
        buf = data;
        pos = 0;
        try {
            while (pos < length) {
                int tag = readTag(buf.length);
                int field = tag >>> 3, wire = tag & 7;
                if (field == 1 && wire == LEN) {
                    int len = readLength(length);
                    timeSeries(pos + len, sink);
                } else if (field == 3 && wire == LEN) {
                    int len = readLength(length);
                    metadata(pos + len, sink);
                } else {
                    skip(wire, length);
                }
            }
            if (pos != length) throw new ProtoException("message overruns its end");
        } finally {
            buf = null;
        }
    }

    private void timeSeries(int end, WriteRequestSink sink) throws ProtoException {
        int labels = 0, samples = 0, exemplars = 0, histograms = 0;
        while (pos < end) {
            int tag = readTag(buf.length);
            int field = tag >>> 3, wire = tag & 7;
            if (field == 1 && wire == LEN) {
                int llen = readLength(end);
                int lend = pos + llen;
                if (2 * labels + 2 > kv.length) kv = Arrays.copyOf(kv, kv.length * 2);
                kv[2 * labels] = "";
                kv[2 * labels + 1] = "";
                while (pos < lend) {
                    int t = readTag(buf.length);
                    if ((t & 7) == LEN && (t >>> 3 == 1 || t >>> 3 == 2)) {
                        int sl = readLength(lend);
                        kv[2 * labels + (t >>> 3) - 1] = strings.get(buf, pos, sl);
                        pos += sl;
                    } else {
                        skip(t & 7, lend);
                    }
                }
                labels++;
            } else if (field == 2 && wire == LEN) {
                int slen = readLength(end); // read before adding: pos moves past the length varint
                readSample(samples++, pos + slen);
            } else if (field == 3 && wire == LEN) {
                int skipLen = readLength(end);
                pos += skipLen;
                exemplars++;
            } else if (field == 4 && wire == LEN) {
                int skipLen = readLength(end);
                pos += skipLen;
                histograms++;
            } else {
                skip(wire, end);
            }
        }
        if (pos != end) throw new ProtoException("time series overruns its end");
        sink.series(kv, labels, ts, vs, samples, exemplars, histograms);
    }

    private void metadata(int end, WriteRequestSink sink) throws ProtoException {
        int type = 0;
        String family = "", help = "", unit = "";
        while (pos < end) {
            int tag = readTag(buf.length);
            int field = tag >>> 3, wire = tag & 7;
            if (field == 1 && wire == VARINT) {
                type = (int) readVarint64(buf.length);
            } else if (wire == LEN && (field == 2 || field == 4 || field == 5)) {
                int len = readLength(end);
                String s = strings.get(buf, pos, len);
                pos += len;
                if (field == 2) family = s; else if (field == 4) help = s; else unit = s;
            } else {
                skip(wire, end);
            }
        }
        sink.metadata(type, family, help, unit);
    }
}
