package tally.bench.load;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * One sender stream's requests in time order: records of (window index, samples, body length, body).
 * Files ending in .gz are gzip-framed on disk only (OTLP bodies are large and uncompressed on the wire).
 */
final class PayloadFile {
    private PayloadFile() {}

    static final class Request {
        final int window;
        final int samples;
        final byte[] body;

        Request(int window, int samples, byte[] body) {
            this.window = window;
            this.samples = samples;
            this.body = body;
        }
    }

    static final class Writer implements Closeable {
        private final DataOutputStream out;
        long requests;
        long samples;
        long bodyBytes;

        Writer(Path file) throws IOException {
            OutputStream os = Files.newOutputStream(file);
            if (file.toString().endsWith(".gz")) os = new GZIPOutputStream(os, 1 << 16);
            out = new DataOutputStream(new BufferedOutputStream(os, 1 << 16));
        }

        void write(int window, int sampleCount, byte[] body) throws IOException {
            out.writeInt(window);
            out.writeInt(sampleCount);
            out.writeInt(body.length);
            out.write(body);
            requests++;
            samples += sampleCount;
            bodyBytes += body.length;
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }

    static final class Reader implements Closeable {
        private final DataInputStream in;

        Reader(Path file) throws IOException {
            InputStream is = Files.newInputStream(file);
            if (file.toString().endsWith(".gz")) is = new GZIPInputStream(is, 1 << 16);
            in = new DataInputStream(new BufferedInputStream(is, 1 << 16));
        }

        /** The next request, or null at the end of the file. */
        Request next() throws IOException {
            int window;
            try {
                window = in.readInt();
            } catch (EOFException e) {
                return null;
            }
            int samples = in.readInt();
            byte[] body = new byte[in.readInt()];
            in.readFully(body);
            return new Request(window, samples, body);
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
