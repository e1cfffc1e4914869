package io.dynamicindex.outbox.relay;

/**
 * The bounds of the PostgreSQL snapshot that one poll read the outbox in ({@code pg_current_snapshot()}).
 *
 * @param xmin the oldest transaction id still running: every transaction below it has committed or rolled back
 * @param xmax the first transaction id not yet assigned: every transaction from it on started after the snapshot
 */
public record Snapshot(long xmin, long xmax) {

    /** Whether every transaction below {@code xmax} had ended when this snapshot was taken. */
    boolean ended(long xmax) {
        return this.xmin >= xmax;
    }
}
