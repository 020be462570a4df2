package tally.bench.load;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * One sender's requests in window order, merged from its stream files. Preloaded into memory by default so
 * that decompressing payload files does not compete with the server for CPU while it is measured.
 */
final class RequestSource {
    private final List<PayloadFile.Reader> readers = new ArrayList<>();
    private final List<PayloadFile.Request> heads = new ArrayList<>();
    private final ArrayDeque<PayloadFile.Request> preloaded;

    RequestSource(List<Path> files, boolean preload) throws IOException {
        for (Path f : files) {
            PayloadFile.Reader r = new PayloadFile.Reader(f);
            readers.add(r);
            heads.add(r.next());
        }
        if (preload) {
            preloaded = new ArrayDeque<>();
            PayloadFile.Request r;
            while ((r = nextFromFiles()) != null) preloaded.add(r);
        } else {
            preloaded = null;
        }
    }

    PayloadFile.Request peek() {
        if (preloaded != null) return preloaded.peek();
        PayloadFile.Request best = null;
        for (PayloadFile.Request h : heads) if (h != null && (best == null || h.window < best.window)) best = h;
        return best;
    }

    PayloadFile.Request next() throws IOException {
        return preloaded != null ? preloaded.poll() : nextFromFiles();
    }

    private PayloadFile.Request nextFromFiles() throws IOException {
        int best = -1;
        for (int i = 0; i < heads.size(); i++) {
            PayloadFile.Request h = heads.get(i);
            if (h != null && (best < 0 || h.window < heads.get(best).window)) best = i;
        }
        if (best < 0) {
            for (PayloadFile.Reader r : readers) r.close();
            return null;
        }
        PayloadFile.Request r = heads.get(best);
        heads.set(best, readers.get(best).next());
        return r;
    }
}
