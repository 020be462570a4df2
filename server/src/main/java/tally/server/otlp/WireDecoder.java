package tally.server.otlp;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.common.v1.AnyValue;
import tally.server.ingest.StringCache;

import java.util.Arrays;
import java.util.Base64;

/**
 * Hand-written decoder for ExportMetricsServiceRequest protobuf bytes that feeds a visitor without
 * building message objects: attribute keys and string values go through a string cache (they
 * repeat across points and requests), arrays are reused. Messages whose fields may arrive in any
 * order (a resource after its scopes, a metric's name after its data) are scanned twice: header
 * fields first, then the repeated children. One instance per thread.
 */
final class WireDecoder {
    private static final int VARINT = 0, FIXED64 = 1, LEN = 2, FIXED32 = 5;

    private final StringCache strings = new StringCache();
    private final AttrList attrs = new AttrList();
    private double[] bounds = new double[16];
    private long[] buckets = new long[16];
    private double[] quantiles = new double[16];
    private double[] qvalues = new double[16];
    private byte[] buf;
    private int pos;

    void decode(byte[] data, OtlpVisitor v) throws InvalidProtocolBufferException {
        buf = data;
        pos = 0;
        try {
            int end = data.length;
            while (pos < end) {
                int tag = tag();
                if (tag == (1 << 3 | LEN)) {
                    int e = end(end);
                    resourceMetrics(e, v);
                    pos = e;
                } else {
                    skip(tag, end);
                }
            }
        } catch (ArrayIndexOutOfBoundsException e) {
            throw new InvalidProtocolBufferException("truncated message");
        } finally {
            buf = null;
        }
    }

    private void resourceMetrics(int end, OtlpVisitor v) throws InvalidProtocolBufferException {
        int start = pos, resStart = -1, resEnd = -1;
        while (pos < end) { // pass 1: the resource
            int tag = tag();
            if (tag == (1 << 3 | LEN)) {
                resEnd = end(end);
                resStart = pos;
                pos = resEnd;
            } else {
                skip(tag, end);
            }
        }
        attrs.clear();
        if (resStart >= 0) {
            pos = resStart;
            while (pos < resEnd) {
                int tag = tag();
                if (tag == (1 << 3 | LEN)) keyValue(end(resEnd));
                else skip(tag, resEnd);
            }
        }
        v.resource(attrs);
        pos = start;
        while (pos < end) { // pass 2: scopes
            int tag = tag();
            if (tag == (2 << 3 | LEN)) {
                int e = end(end);
                scopeMetrics(e, v);
                pos = e;
            } else {
                skip(tag, end);
            }
        }
        v.endResource();
    }

    private void scopeMetrics(int end, OtlpVisitor v) throws InvalidProtocolBufferException {
        int start = pos;
        String name = "", version = "", schemaUrl = "";
        attrs.clear();
        while (pos < end) {
            int tag = tag();
            if (tag == (1 << 3 | LEN)) {
                int se = end(end);
                while (pos < se) {
                    int t = tag();
                    if (t == (1 << 3 | LEN)) name = string(se);
                    else if (t == (2 << 3 | LEN)) version = string(se);
                    else if (t == (3 << 3 | LEN)) keyValue(end(se));
                    else skip(t, se);
                }
            } else if (tag == (3 << 3 | LEN)) {
                schemaUrl = string(end);
            } else {
                skip(tag, end);
            }
        }
        checkEnd(end);
        v.scope(name, version, schemaUrl, attrs);
        pos = start;
        while (pos < end) {
            int tag = tag();
            if (tag == (2 << 3 | LEN)) {
                int e = end(end);
                metric(e, v);
                pos = e;
            } else {
                skip(tag, end);
            }
        }
    }

    private void metric(int end, OtlpVisitor v) throws InvalidProtocolBufferException {
        String name = "", description = "", unit = "";
        int dataField = 0, dataStart = 0, dataEnd = 0;
        while (pos < end) {
            int tag = tag();
            int field = tag >>> 3;
            if (tag == (1 << 3 | LEN)) name = string(end);
            else if (tag == (2 << 3 | LEN)) description = string(end);
            else if (tag == (3 << 3 | LEN)) unit = string(end);
            else if ((tag & 7) == LEN && (field == 5 || field == 7 || field == 9 || field == 10 || field == 11)) {
                dataEnd = end(end);
                dataStart = pos;
                dataField = field;
                pos = dataEnd;
            } else {
                skip(tag, end);
            }
        }
        OtlpVisitor.DataKind kind = switch (dataField) {
            case 5 -> OtlpVisitor.DataKind.GAUGE;
            case 7 -> OtlpVisitor.DataKind.SUM;
            case 9 -> OtlpVisitor.DataKind.HISTOGRAM;
            case 10 -> OtlpVisitor.DataKind.EXPONENTIAL_HISTOGRAM;
            case 11 -> OtlpVisitor.DataKind.SUMMARY;
            default -> OtlpVisitor.DataKind.NONE;
        };
        int temporality = 0;
        boolean monotonic = false;
        pos = dataStart;
        while (pos < dataEnd) { // pass 1 over the data: temporality and monotonicity
            int tag = tag();
            if (tag == (2 << 3 | VARINT)) temporality = (int) varint();
            else if (tag == (3 << 3 | VARINT)) monotonic = varint() != 0;
            else skip(tag, dataEnd);
        }
        checkEnd(dataEnd);
        v.metric(name, description, unit, kind, temporality, monotonic);
        pos = dataStart;
        while (pos < dataEnd) { // pass 2: the points
            int tag = tag();
            if (tag == (1 << 3 | LEN) && kind != OtlpVisitor.DataKind.NONE) {
                int e = end(dataEnd);
                switch (kind) {
                    case GAUGE, SUM -> numberPoint(e, v);
                    case HISTOGRAM -> histogramPoint(e, v);
                    case SUMMARY -> summaryPoint(e, v);
                    default -> v.unsupportedPoint();
                }
                pos = e;
            } else {
                skip(tag, dataEnd);
            }
        }
    }

    private void numberPoint(int end, OtlpVisitor v) throws InvalidProtocolBufferException {
        attrs.clear();
        long start = 0, time = 0;
        int flags = 0;
        double value = 0;
        while (pos < end) {
            int tag = tag();
            switch (tag) {
                case 7 << 3 | LEN -> keyValue(end(end));
                case 2 << 3 | FIXED64 -> start = fixed64(end);
                case 3 << 3 | FIXED64 -> time = fixed64(end);
                case 4 << 3 | FIXED64 -> value = Double.longBitsToDouble(fixed64(end));
                case 6 << 3 | FIXED64 -> value = fixed64(end);
                case 8 << 3 | VARINT -> flags = (int) varint();
                default -> skip(tag, end);
            }
        }
        checkEnd(end);
        v.number(attrs, start, time, flags, value);
    }

    private void histogramPoint(int end, OtlpVisitor v) throws InvalidProtocolBufferException {
        attrs.clear();
        long start = 0, time = 0, count = 0;
        int flags = 0, nb = 0, nc = 0;
        double sum = 0;
        boolean hasSum = false;
        while (pos < end) {
            int tag = tag();
            switch (tag) {
                case 9 << 3 | LEN -> keyValue(end(end));
                case 2 << 3 | FIXED64 -> start = fixed64(end);
                case 3 << 3 | FIXED64 -> time = fixed64(end);
                case 4 << 3 | FIXED64 -> count = fixed64(end);
                case 5 << 3 | FIXED64 -> {
                    sum = Double.longBitsToDouble(fixed64(end));
                    hasSum = true;
                }
                case 6 << 3 | LEN -> { // packed bucket counts
                    int e = end(end);
                    while (pos < e) {
                        if (nc == buckets.length) buckets = Arrays.copyOf(buckets, nc * 2);
                        buckets[nc++] = fixed64(e);
                    }
                }
                case 6 << 3 | FIXED64 -> {
                    if (nc == buckets.length) buckets = Arrays.copyOf(buckets, nc * 2);
                    buckets[nc++] = fixed64(end);
                }
                case 7 << 3 | LEN -> { // packed explicit bounds
                    int e = end(end);
                    while (pos < e) {
                        if (nb == bounds.length) bounds = Arrays.copyOf(bounds, nb * 2);
                        bounds[nb++] = Double.longBitsToDouble(fixed64(e));
                    }
                }
                case 7 << 3 | FIXED64 -> {
                    if (nb == bounds.length) bounds = Arrays.copyOf(bounds, nb * 2);
                    bounds[nb++] = Double.longBitsToDouble(fixed64(end));
                }
                case 10 << 3 | VARINT -> flags = (int) varint();
                default -> skip(tag, end);
            }
        }
        checkEnd(end);
        v.histogram(attrs, start, time, flags, count, sum, hasSum, bounds, nb, buckets, nc);
    }

    private void summaryPoint(int end, OtlpVisitor v) throws InvalidProtocolBufferException {
        attrs.clear();
        long time = 0, count = 0;
        int flags = 0, n = 0;
        double sum = 0;
        while (pos < end) {
            int tag = tag();
            switch (tag) {
                case 7 << 3 | LEN -> keyValue(end(end));
                case 3 << 3 | FIXED64 -> time = fixed64(end);
                case 4 << 3 | FIXED64 -> count = fixed64(end);
                case 5 << 3 | FIXED64 -> sum = Double.longBitsToDouble(fixed64(end));
                case 6 << 3 | LEN -> {
                    int e = end(end);
                    if (n == quantiles.length) {
                        quantiles = Arrays.copyOf(quantiles, n * 2);
                        qvalues = Arrays.copyOf(qvalues, n * 2);
                    }
                    quantiles[n] = 0;
                    qvalues[n] = 0;
                    while (pos < e) {
                        int t = tag();
                        if (t == (1 << 3 | FIXED64)) quantiles[n] = Double.longBitsToDouble(fixed64(e));
                        else if (t == (2 << 3 | FIXED64)) qvalues[n] = Double.longBitsToDouble(fixed64(e));
                        else skip(t, e);
                    }
                    n++;
                }
                case 8 << 3 | VARINT -> flags = (int) varint();
                default -> skip(tag, end);
            }
        }
        checkEnd(end);
        v.summary(attrs, time, flags, count, sum, quantiles, qvalues, n);
    }

    /** KeyValue{key = 1; AnyValue value = 2} appended to {@link #attrs} as label strings. */
    private void keyValue(int end) throws InvalidProtocolBufferException {
        String key = "";
        String value = "";
        while (pos < end) {
            int tag = tag();
            if (tag == (1 << 3 | LEN)) key = string(end);
            else if (tag == (2 << 3 | LEN)) value = anyValue(end(end));
            else skip(tag, end);
        }
        checkEnd(end);
        attrs.add(key, value);
    }

    private String anyValue(int end) throws InvalidProtocolBufferException {
        int start = pos;
        String out = "";
        while (pos < end) {
            int tag = tag();
            switch (tag) {
                case 1 << 3 | LEN -> out = string(end);
                case 2 << 3 | VARINT -> out = varint() != 0 ? "true" : "false";
                case 3 << 3 | VARINT -> out = Long.toString(varint());
                case 4 << 3 | FIXED64 -> out = AttributeValues.formatDouble(Double.longBitsToDouble(fixed64(end)));
                case 7 << 3 | LEN -> {
                    int e = end(end);
                    out = Base64.getEncoder().encodeToString(Arrays.copyOfRange(buf, pos, e));
                    pos = e;
                }
                case 5 << 3 | LEN, 6 << 3 | LEN -> { // arrays and maps are rare: render them through the generated classes
                    pos = end;
                    return AttributeValues.toLabelValue(AnyValue.parseFrom(Arrays.copyOfRange(buf, start, end)));
                }
                default -> skip(tag, end);
            }
        }
        return out;
    }

    /** A varint or field that ran past the end of its enclosing message. */
    private void checkEnd(int end) throws InvalidProtocolBufferException {
        if (pos != end) throw new InvalidProtocolBufferException("field runs past the end of its message");
    }

    private String string(int limit) throws InvalidProtocolBufferException {
        int e = end(limit);
        String s = strings.get(buf, pos, e - pos);
        pos = e;
        return s;
    }

    /** Reads a length prefix; returns where the field ends (checked against the enclosing limit). */
    private int end(int limit) throws InvalidProtocolBufferException {
        long len = varint();
        // len > limit - pos, not pos + len > limit: a length near Long.MAX_VALUE would overflow that sum and pass
        if (len < 0 || len > limit - pos) throw new InvalidProtocolBufferException("truncated message: field runs past its end");
        return pos + (int) len;
    }

    private int tag() throws InvalidProtocolBufferException {
        long tag = varint();
        if (tag >>> 3 == 0 || tag > Integer.MAX_VALUE) throw new InvalidProtocolBufferException("invalid field tag " + tag);
        return (int) tag;
    }

    private long varint() throws InvalidProtocolBufferException {
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            byte b = buf[pos++];
            result |= (long) (b & 0x7f) << shift;
            if (b >= 0) return result;
        }
        throw new InvalidProtocolBufferException("malformed varint");
    }

    private long fixed64(int limit) throws InvalidProtocolBufferException {
        if (pos + 8 > limit) throw new InvalidProtocolBufferException("truncated fixed64");
        long v = 0;
        for (int i = 7; i >= 0; i--) v = (v << 8) | (buf[pos + i] & 0xffL);
        pos += 8;
        return v;
    }

    private void skip(int tag, int limit) throws InvalidProtocolBufferException {
        switch (tag & 7) {
            case VARINT -> varint();
            case FIXED64 -> fixed64(limit);
            case LEN -> pos = end(limit);
            case FIXED32 -> {
                if (pos + 4 > limit) throw new InvalidProtocolBufferException("truncated fixed32");
                pos += 4;
            }
            default -> throw new InvalidProtocolBufferException("unsupported wire type " + (tag & 7));
        }
        if (pos > limit) throw new InvalidProtocolBufferException("field runs past the end of its message");
    }
}
