package tally.server.ui;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The page's files on the class path under one folder, loaded on first use and kept (they never change while the
 * jar runs). Names are checked before they reach the class loader, so a request cannot climb out of the folder.
 */
final class AssetStore {
    private final String root;
    private final ConcurrentHashMap<String, Optional<Asset>> cache = new ConcurrentHashMap<>();

    /** @param root a class path folder, e.g. {@code tally/ui} */
    AssetStore(String root) {
        this.root = root.endsWith("/") ? root : root + "/";
    }

    /** The file {@code name} (relative, '/'-separated), or empty when there is none or the name is not allowed. */
    Optional<Asset> get(String name) {
        if (!safe(name)) return Optional.empty();
        Optional<Asset> hit = cache.get(name);
        if (hit != null) return hit;
        Optional<Asset> loaded = load(name);
        // only files that exist are kept: a request for any made-up name must not grow the cache
        if (loaded.isPresent()) cache.putIfAbsent(name, loaded);
        return loaded;
    }

    /** How many files are held (for the test that misses are not). */
    int cached() {
        return cache.size();
    }

    static boolean safe(String name) {
        if (name.isEmpty() || name.startsWith("/") || name.endsWith("/") || name.contains("\\")) return false;
        for (String part : name.split("/")) {
            if (part.isEmpty() || part.equals(".") || part.equals("..")) return false;
        }
        return true;
    }

    private Optional<Asset> load(String name) {
        try (InputStream in = AssetStore.class.getClassLoader().getResourceAsStream(root + name)) {
            return in == null ? Optional.empty() : Optional.of(Asset.of(name, in.readAllBytes()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + root + name, e);
        }
    }
}
