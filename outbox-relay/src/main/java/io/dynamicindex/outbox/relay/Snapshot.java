package io.dynamicindex.outbox.relay;

/**
 * The snapshot that one poll read the outbox in, as two transaction ids.
 *
 * @param xmin    {@code pg_snapshot_xmin(pg_current_snapshot())}: the oldest transaction still running when the
 *                snapshot was taken; every transaction below it had committed or rolled back
 * @param horizon a transaction id assigned after the snapshot was taken (the poll's own, {@code pg_current_xact_id()}
 *                in the same statement), so above every transaction id assigned before it. Not
 *                {@code pg_snapshot_xmax}: that is one past the latest <em>completed</em> transaction, and a
 *                transaction that got its id earlier but is still running may lie above it, outside the snapshot's
 *                list of running transactions
 */
public record Snapshot(long xmin, long horizon) {

    /** Whether every transaction with an id below the horizon had ended when this snapshot was taken. */
    boolean ended(long horizon) {
        return xmin >= horizon;
    }
}
