package tally.forward;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import tally.model.MetricMetadata;
import tally.storage.wal.WalHolds;
import tally.storage.wal.WalPosition;

/**
 * Every configured remote_write target. In two steps because the WAL opens in between: {@link #holds} reads each
 * target's saved position before the storage opens (opening checkpoints the WAL, and the segments a target still
 * needs must survive that), {@link #start} starts the forwarders once it is open. {@link #apply} replaces them when
 * the configuration is reloaded: each forwarder stops (saving its position) and the new ones resume from theirs.
 */
public final class RemoteWriteService implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(RemoteWriteService.class.getName());
    private static final long RELOAD_FLUSH_MILLIS = 5_000;

    private final WalSource wal;
    private final WalHolds holds;
    private final Path stateRoot;
    private final Supplier<Map<String, List<MetricMetadata>>> metadata;
    private volatile List<Forwarder> forwarders = List.of();

    private RemoteWriteService(WalSource wal, WalHolds holds, Path stateRoot, Supplier<Map<String, List<MetricMetadata>>> metadata) {
        this.wal = wal;
        this.holds = holds;
        this.stateRoot = stateRoot;
        this.metadata = metadata;
    }

    /** Holds on the WAL from each target's saved position (new targets hold nothing until they start). */
    public static WalHolds holds(List<RemoteWriteConfig> targets, Path stateRoot, long capBytes) throws IOException {
        WalHolds holds = new WalHolds(capBytes);
        for (RemoteWriteConfig t : targets) {
            WalPosition saved = new PositionFile(stateDir(stateRoot, t), t.url().toString()).load();
            holds.hold(t.name(), saved == null ? Long.MAX_VALUE : saved.segment());
        }
        return holds;
    }

    public static RemoteWriteService start(List<RemoteWriteConfig> targets, Map<String, String> externalLabels, WalSource wal,
                                           WalHolds holds, Path stateRoot, Supplier<Map<String, List<MetricMetadata>>> metadata)
            throws IOException {
        RemoteWriteService s = new RemoteWriteService(wal, holds, stateRoot, metadata);
        s.forwarders = s.startAll(targets, externalLabels);
        return s;
    }

    /** The running forwarders (a new list after each {@link #apply}). */
    public List<Forwarder> forwarders() { return forwarders; }

    /**
     * A reloaded configuration: stops every forwarder (each sends what it can within 5 s and saves its position),
     * releases the WAL holds of targets no longer configured, and starts the configured ones from their positions.
     */
    public synchronized void apply(List<RemoteWriteConfig> targets, Map<String, String> externalLabels) throws IOException {
        List<Forwarder> old = forwarders;
        for (Forwarder f : old) f.close(RELOAD_FLUSH_MILLIS);
        Set<String> names = new HashSet<>();
        for (RemoteWriteConfig t : targets) names.add(t.name());
        for (Forwarder f : old) {
            if (!names.contains(f.name())) {
                WalHolds.Hold h = holds.get(f.name());
                if (h != null) h.release();
            }
        }
        forwarders = List.of();
        forwarders = startAll(targets, externalLabels);
        LOG.log(Level.INFO, "remote-write: {0} target(s) after the reload", forwarders.size());
    }

    private List<Forwarder> startAll(List<RemoteWriteConfig> targets, Map<String, String> externalLabels) throws IOException {
        List<Forwarder> started = new ArrayList<>();
        try {
            for (RemoteWriteConfig t : targets) {
                WalHolds.Hold hold = holds.get(t.name());
                if (hold == null) hold = holds.hold(t.name(), Long.MAX_VALUE);
                Forwarder f = new Forwarder(t, externalLabels, wal, hold, stateDir(stateRoot, t), metadata);
                f.start();
                started.add(f);
            }
        } catch (IOException | RuntimeException e) {
            for (Forwarder f : started) f.close(0);
            throw e;
        }
        return List.copyOf(started);
    }

    /** Where a target's position is kept: its name made safe for a file name, and a hash that keeps names apart. */
    static Path stateDir(Path root, RemoteWriteConfig t) {
        String safe = t.name().replaceAll("[^A-Za-z0-9_.-]", "_");
        if (safe.length() > 64) safe = safe.substring(0, 64);
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(t.name().getBytes(StandardCharsets.UTF_8));
            return root.resolve(safe + "-" + HexFormat.of().formatHex(h, 0, 4));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Stops every target, giving each {@code flushMillis} to send what it holds (the rest is resent after restart). */
    public synchronized void close(long flushMillis) {
        for (Forwarder f : forwarders) f.close(flushMillis);
    }

    @Override
    public void close() {
        close(5_000);
    }
}
