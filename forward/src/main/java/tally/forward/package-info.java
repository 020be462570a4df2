/**
 * Remote-write out. Each configured target ({@link tally.forward.RemoteWriteConfig}) gets a forwarder that tails
 * Tally's own WAL from the position the target last acknowledged, relabels, shards by series (keeping per-series
 * order), batches, encodes remote-write 1.0 or 2.0 ({@link tally.forward.wire}) and sends with retries. The
 * acknowledged WAL position is persisted, so a restart resends exactly what was not acknowledged.
 */
package tally.forward;
