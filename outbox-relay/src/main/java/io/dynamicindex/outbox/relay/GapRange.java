package io.dynamicindex.outbox.relay;

/**
 * A run of outbox ids, {@code from} to {@code to} inclusive, that were missing when the relay published past them:
 * each may belong to a transaction that had taken its id and not yet committed. The range is final, and dropped,
 * once every transaction that may hold one of its ids has ended: when a snapshot's xmin reaches {@code horizon}.
 *
 * @param horizon the {@link Snapshot#horizon()} of the poll that found the range missing: every transaction holding
 *                one of its ids has a lower transaction id
 */
public record GapRange(long from, long to, long horizon) {

    public GapRange {
        if (from > to) {
            throw new IllegalArgumentException("empty gap range " + from + ".." + to);
        }
    }

    /** How many ids the range holds. */
    public long size() {
        return to - from + 1;
    }
}
