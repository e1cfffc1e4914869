package io.dynamicindex.outbox.relay;

import java.time.Instant;
import java.util.List;

/**
 * The relay's visible state, written by the relay thread and read by health, the status API and the gauges.
 *
 * @param state         what the relay does
 * @param reason        why it backs off, halts or stands by; null while publishing
 * @param since         when the state began
 * @param instance      this instance
 * @param holder        the instance that holds the relay, as stored in the offset row
 * @param lastId        the stored offset: every id up to it is published or final
 * @param gaps          the pending gap ranges below it
 * @param pendingIds    how many ids the pending gaps hold
 * @param waitingRows   visible rows above the offset (at most a million counted)
 * @param oldestSeconds the age of the oldest of them
 * @param published     rows this instance published and saw confirmed
 * @param rejectedRows  rows waiting in {@code outbox_rejected} for an operator (the relay goes on publishing)
 */
public record RelayStatus(RelayState state, String reason, Instant since, String instance, String holder,
                          long lastId, List<GapRange> gaps, long pendingIds, long waitingRows, double oldestSeconds,
                          long published, long rejectedRows) {

    static RelayStatus starting(String instance) {
        return new RelayStatus(RelayState.STARTING, null, Instant.now(), instance, null, 0, List.of(), 0, 0, 0, 0, 0);
    }

    RelayStatus in(RelayState next, String why) {
        Instant changed = next == state ? since : Instant.now();
        return new RelayStatus(next, why, changed, instance, holder, lastId, gaps, pendingIds, waitingRows,
                oldestSeconds, published, rejectedRows);
    }

    RelayStatus withOffset(Offset offset, String currentHolder) {
        return new RelayStatus(state, reason, since, instance, currentHolder, offset.lastId(), offset.gaps(),
                offset.pendingIds(), waitingRows, oldestSeconds, published, rejectedRows);
    }

    RelayStatus withLag(long waiting, double oldest, long rejected) {
        return new RelayStatus(state, reason, since, instance, holder, lastId, gaps, pendingIds, waiting, oldest,
                published, rejected);
    }

    RelayStatus plusPublished(int rows) {
        return new RelayStatus(state, reason, since, instance, holder, lastId, gaps, pendingIds, waitingRows,
                oldestSeconds, published + rows, rejectedRows);
    }

    RelayStatus plusRejected(int rows) {
        return new RelayStatus(state, reason, since, instance, holder, lastId, gaps, pendingIds, waitingRows,
                oldestSeconds, published, rejectedRows + rows);
    }
}
