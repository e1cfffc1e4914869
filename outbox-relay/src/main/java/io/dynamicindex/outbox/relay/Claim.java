package io.dynamicindex.outbox.relay;

/**
 * The offset row as one poll found it, locked by the poll's transaction, with the poll's snapshot.
 *
 * @param holder the instance that took the relay over last; only it may publish
 * @param clean  whether that holder stopped gracefully, with nothing published beyond the offset
 */
record Claim(Offset offset, String holder, boolean clean, Snapshot snapshot) {
}
