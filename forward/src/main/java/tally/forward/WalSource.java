package tally.forward;

import tally.storage.wal.WalPosition;
import tally.storage.wal.WalTailer;

/** The log a forwarder reads: Tally's own WAL. */
public interface WalSource {
    /** The end of the committed log: where a new target starts. */
    WalPosition committed();

    WalTailer tail(WalPosition start, WalTailer.Handler handler);
}
