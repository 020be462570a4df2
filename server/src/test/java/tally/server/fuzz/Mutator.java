package tally.server.fuzz;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Seeded mutation of byte inputs, AFL-style: bit flips, interesting bytes and numbers, inserts, deletes, copies,
 * long repeats (deep nesting, large bodies), splices between seeds, truncation, dictionary tokens, and for
 * protobuf whole-field cuts, copies and length-field rewrites ({@link ProtoFields}). Everything is drawn from the
 * {@link SplittableRandom} passed in, so a case is replayed from its seed alone.
 */
final class Mutator {
    private static final byte[] INTERESTING_BYTES = {0, 1, 0x7f, (byte) 0x80, (byte) 0xff, 0x0a, 0x22, 0x7b, 0x5b, 0x28};
    private static final long[] INTERESTING_NUMBERS = {0, 1, -1, 127, 128, 255, 256, 0x7fff, 0x8000, 0xffff,
            Integer.MAX_VALUE, Integer.MIN_VALUE, 0xffffffffL, 1L << 32, Long.MAX_VALUE, Long.MIN_VALUE,
            Double.doubleToRawLongBits(Double.NaN), Double.doubleToRawLongBits(Double.POSITIVE_INFINITY),
            Double.doubleToRawLongBits(-0.0), 0x7ff0000000000002L /* Prometheus's stale marker */};

    private final List<byte[]> seeds;
    private final List<byte[]> dictionary;
    private final int maxBytes;
    private final boolean protobuf;

    /**
     * @param seeds      valid inputs to start from (at least one)
     * @param dictionary tokens worth inserting (keywords, field names, syntax); may be empty
     * @param maxBytes   longest input produced (repeats and inserts stop there)
     * @param protobuf   whether the seeds are protobuf, so that field-aware mutations apply
     */
    Mutator(List<byte[]> seeds, List<byte[]> dictionary, int maxBytes, boolean protobuf) {
        if (seeds.isEmpty()) throw new IllegalArgumentException("no seeds");
        this.seeds = List.copyOf(seeds);
        this.dictionary = List.copyOf(dictionary);
        this.maxBytes = maxBytes;
        this.protobuf = protobuf;
    }

    List<byte[]> seeds() { return seeds; }

    /** A random seed, mutated one or more times (fewer mutations are likelier: most cases stay close to valid). */
    byte[] next(SplittableRandom r) {
        return mutate(seeds.get(r.nextInt(seeds.size())), r);
    }

    byte[] mutate(byte[] seed, SplittableRandom r) {
        Bytes b = new Bytes(seed);
        int rounds = 1;
        while (rounds < 8 && r.nextInt(2) == 0) rounds++;
        for (int i = 0; i < rounds; i++) mutateOnce(b, r);
        return b.toArray();
    }

    private void mutateOnce(Bytes b, SplittableRandom r) {
        int op = r.nextInt(protobuf ? 24 : 14);
        if (b.n == 0 && op < 12) op = 2; // nothing to change in place: insert something
        switch (op) {
            case 0 -> b.a[r.nextInt(b.n)] ^= (byte) (1 << r.nextInt(8));
            case 1 -> b.a[r.nextInt(b.n)] = INTERESTING_BYTES[r.nextInt(INTERESTING_BYTES.length)];
            case 2 -> b.insert(r.nextInt(b.n + 1), randomBytes(r, 1 + r.nextInt(8)), maxBytes);
            case 3 -> b.a[r.nextInt(b.n)] += (byte) (r.nextInt(33) - 16);
            case 4 -> {
                int from = r.nextInt(b.n);
                b.delete(from, Math.min(b.n, from + 1 + r.nextInt(Math.min(b.n - from, 64))));
            }
            case 5 -> {
                int from = r.nextInt(b.n);
                byte[] copy = Arrays.copyOfRange(b.a, from, Math.min(b.n, from + 1 + r.nextInt(256)));
                b.insert(r.nextInt(b.n + 1), copy, maxBytes);
            }
            case 6 -> repeat(b, r);
            case 7 -> splice(b, r);
            case 8 -> b.n = r.nextInt(b.n); // truncate
            case 9 -> writeNumber(b, r);
            case 10 -> b.replace(r.nextInt(b.n), 1 + r.nextInt(Math.min(5, b.n)), ProtoFields.encodeVarint(interesting(r)));
            case 11 -> {
                byte[] other = seeds.get(r.nextInt(seeds.size()));
                if (other.length == 0) return;
                int from = r.nextInt(other.length);
                b.insert(r.nextInt(b.n + 1), Arrays.copyOfRange(other, from, Math.min(other.length, from + 1 + r.nextInt(512))), maxBytes);
            }
            case 12, 13 -> {
                if (dictionary.isEmpty()) {
                    b.insert(r.nextInt(b.n + 1), randomBytes(r, 1 + r.nextInt(4)), maxBytes);
                } else {
                    byte[] token = dictionary.get(r.nextInt(dictionary.size()));
                    if (op == 12 || b.n == 0) b.insert(r.nextInt(b.n + 1), token, maxBytes);
                    else {
                        int at = r.nextInt(b.n);
                        b.replace(at, Math.min(b.n - at, 1 + r.nextInt(token.length + 2)), token);
                    }
                }
            }
            default -> mutateField(b, r, op - 14);
        }
    }

    /** A range written many times in a row: deeply nested brackets, long strings, bodies near the limits. */
    private void repeat(Bytes b, SplittableRandom r) {
        if (b.n == 0) return;
        int from = r.nextInt(b.n);
        int len = 1 + r.nextInt(Math.min(b.n - from, 16));
        int times = 2 + r.nextInt(r.nextInt(4) == 0 ? 10_000 : 64);
        times = Math.min(times, Math.max(1, (maxBytes - b.n) / len));
        byte[] unit = Arrays.copyOfRange(b.a, from, from + len);
        byte[] run = new byte[unit.length * times];
        for (int i = 0; i < times; i++) System.arraycopy(unit, 0, run, i * len, len);
        b.insert(from, run, maxBytes);
    }

    /** The head of this input and the tail of another seed. */
    private void splice(Bytes b, SplittableRandom r) {
        byte[] other = seeds.get(r.nextInt(seeds.size()));
        int cut = r.nextInt(b.n + 1);
        int from = other.length == 0 ? 0 : r.nextInt(other.length);
        b.n = cut;
        b.insert(cut, Arrays.copyOfRange(other, from, other.length), maxBytes);
    }

    private void writeNumber(Bytes b, SplittableRandom r) {
        int width = r.nextBoolean() ? 8 : 4;
        if (b.n < width) return;
        ByteBuffer buf = ByteBuffer.allocate(8).order(r.nextBoolean() ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
        long v = interesting(r);
        if (width == 8) buf.putLong(v);
        else buf.putInt((int) v);
        System.arraycopy(buf.array(), 0, b.a, r.nextInt(b.n - width + 1), width);
    }

    /**
     * Protobuf-aware. Half of these keep the wire format valid (the enclosing lengths are fixed up), so the decoded
     * message reaches translation and storage: a varint, fixed64 or fixed32 value replaced, a string or bytes value
     * replaced, a field dropped, repeated or moved in from another seed. The others break it on purpose: a length
     * rewritten, a field cut without fixing what encloses it.
     */
    private void mutateField(Bytes b, SplittableRandom r, int kind) {
        List<ProtoFields.Field> fields = ProtoFields.of(b.a, b.n);
        if (fields.isEmpty()) {
            if (b.n > 0) b.a[r.nextInt(b.n)] ^= (byte) (1 << r.nextInt(8));
            return;
        }
        ProtoFields.Field f = fields.get(r.nextInt(fields.size()));
        if (kind == 0 && r.nextBoolean()) {
            breakLength(b, r, fields);
            return;
        }
        switch (r.nextInt(7)) {
            case 0 -> { // a value of the field's own wire type
                int tagBytes = f.delimited() ? f.lengthAt() - f.start() : tagLength(b, f.start());
                int valueAt = f.start() + tagBytes;
                int wire = b.a[f.start()] & 7;
                if (wire == 0) resize(b, fields, f, false, valueAt, f.end() - valueAt, ProtoFields.encodeVarint(interesting(r)));
                else if (wire == 1) System.arraycopy(fixed(interesting(r), 8), 0, b.a, valueAt, 8);
                else if (wire == 5) System.arraycopy(fixed(interesting(r), 4), 0, b.a, valueAt, 4);
                else resize(b, fields, f, true, valueAt + f.lengthBytes(), (int) f.length(), content(r));
            }
            case 1 -> resize(b, fields, f, false, f.start(), f.end() - f.start(), new byte[0]);
            case 2 -> {
                byte[] copy = Arrays.copyOfRange(b.a, f.start(), f.end());
                int times = 1 + r.nextInt(r.nextInt(8) == 0 ? 200 : 3);
                byte[] run = new byte[Math.min(copy.length * times, Math.max(0, maxBytes - b.n))];
                for (int i = 0; i + copy.length <= run.length; i += copy.length) System.arraycopy(copy, 0, run, i, copy.length);
                resize(b, fields, f, false, f.end(), 0, Arrays.copyOf(run, run.length - run.length % Math.max(1, copy.length)));
            }
            case 3 -> {
                byte[] other = seeds.get(r.nextInt(seeds.size()));
                List<ProtoFields.Field> theirs = ProtoFields.of(other, other.length);
                if (theirs.isEmpty()) return;
                ProtoFields.Field t = theirs.get(r.nextInt(theirs.size()));
                resize(b, fields, f, false, r.nextBoolean() ? f.start() : f.end(), 0, Arrays.copyOfRange(other, t.start(), t.end()));
            }
            case 4 -> b.delete(f.start(), f.end()); // the enclosing lengths now lie
            case 5 -> breakLength(b, r, fields);
            default -> { // the field number or wire type changed
                int tagBytes = tagLength(b, f.start());
                long tag = r.nextInt(4) == 0 ? interesting(r) : ((long) (1 + r.nextInt(20)) << 3) | (b.a[f.start()] & 7);
                resize(b, fields, f, false, f.start(), tagBytes, ProtoFields.encodeVarint(tag));
            }
        }
    }

    private void breakLength(Bytes b, SplittableRandom r, List<ProtoFields.Field> fields) {
        List<ProtoFields.Field> delimited = fields.stream().filter(ProtoFields.Field::delimited).toList();
        if (delimited.isEmpty()) return;
        ProtoFields.Field d = delimited.get(r.nextInt(delimited.size()));
        long len = switch (r.nextInt(4)) {
            case 0 -> d.length() + 1 + r.nextInt(8);
            case 1 -> Math.max(0, d.length() - 1 - r.nextInt(8));
            case 2 -> 0;
            default -> interesting(r);
        };
        b.replace(d.lengthAt(), d.lengthBytes(), ProtoFields.encodeVarint(len));
    }

    /** A new string or bytes value: a dictionary token, random bytes, invalid UTF-8, empty, or something long. */
    private byte[] content(SplittableRandom r) {
        return switch (r.nextInt(5)) {
            case 0 -> dictionary.isEmpty() ? randomBytes(r, 1 + r.nextInt(8)) : dictionary.get(r.nextInt(dictionary.size()));
            case 1 -> new byte[0];
            case 2 -> new byte[] {(byte) 0xc3, 0x28, (byte) 0xed, (byte) 0xa0, (byte) 0x80}; // invalid UTF-8, a surrogate
            case 3 -> {
                byte[] big = new byte[Math.min(maxBytes / 4, 1 + r.nextInt(70_000))];
                Arrays.fill(big, (byte) ('a' + r.nextInt(26)));
                yield big;
            }
            default -> randomBytes(r, 1 + r.nextInt(32));
        };
    }

    /**
     * Replaces b[at, at + len) (in or next to {@code anchor}) with x and fixes the length of every length-delimited
     * field enclosing the anchor (and of the anchor itself when its own content changed), innermost first: a length
     * whose varint grows or shrinks changes the next one out by that much too.
     */
    private void resize(Bytes b, List<ProtoFields.Field> fields, ProtoFields.Field anchor, boolean anchorToo, int at, int len, byte[] x) {
        if (b.n - len + x.length > maxBytes) return;
        List<ProtoFields.Field> enclosing = new java.util.ArrayList<>();
        for (ProtoFields.Field g : fields) {
            boolean ancestor = g != anchor && g.delimited() && g.lengthAt() + g.lengthBytes() <= anchor.start() && anchor.end() <= g.end();
            if (ancestor || (anchorToo && g == anchor)) enclosing.add(g);
        }
        enclosing.sort((p, q) -> Integer.compare(q.lengthAt(), p.lengthAt()));
        b.replace(at, len, x);
        long delta = x.length - len;
        for (ProtoFields.Field g : enclosing) {
            byte[] newLength = ProtoFields.encodeVarint(g.length() + delta);
            b.replace(g.lengthAt(), g.lengthBytes(), newLength);
            delta += newLength.length - g.lengthBytes();
        }
    }

    private static int tagLength(Bytes b, int at) {
        int n = 1;
        while (at + n - 1 < b.n && (b.a[at + n - 1] & 0x80) != 0) n++;
        return n;
    }

    private static byte[] fixed(long v, int width) {
        ByteBuffer buf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v);
        return Arrays.copyOf(buf.array(), width);
    }

    private static long interesting(SplittableRandom r) {
        long v = INTERESTING_NUMBERS[r.nextInt(INTERESTING_NUMBERS.length)];
        return r.nextInt(4) == 0 ? v + r.nextInt(5) - 2 : v;
    }

    private static byte[] randomBytes(SplittableRandom r, int n) {
        byte[] out = new byte[n];
        for (int i = 0; i < n; i++) out[i] = (byte) r.nextInt(256);
        return out;
    }

    /** A growable byte array. */
    private static final class Bytes {
        byte[] a;
        int n;

        Bytes(byte[] seed) {
            a = Arrays.copyOf(seed, Math.max(16, seed.length * 2));
            n = seed.length;
        }

        void insert(int at, byte[] x, int max) {
            int len = Math.min(x.length, Math.max(0, max - n));
            if (len == 0) return;
            ensure(n + len);
            System.arraycopy(a, at, a, at + len, n - at);
            System.arraycopy(x, 0, a, at, len);
            n += len;
        }

        void delete(int from, int to) {
            System.arraycopy(a, to, a, from, n - to);
            n -= to - from;
        }

        void replace(int at, int len, byte[] x) {
            len = Math.min(len, n - at);
            delete(at, at + len);
            insert(at, x, Integer.MAX_VALUE);
        }

        private void ensure(int size) {
            if (size > a.length) a = Arrays.copyOf(a, Math.max(size, a.length * 2));
        }

        byte[] toArray() {
            return Arrays.copyOf(a, n);
        }
    }
}
