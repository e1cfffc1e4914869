package io.dynamicindex.outbox.relay;

/**
 * A row's id lies further beyond the last value of {@code outbox_id_seq} than {@code dynamic-index.outbox.max-id-ahead}
 * allows: the id default did not give it, and publishing it would move the offset past every id the sequence has yet
 * to hand out. The relay halts at it.
 */
class IdBeyondSequenceException extends RuntimeException {

    private final long rowId;

    IdBeyondSequenceException(OutboxRow row, long sequenceLastValue, long maxIdAhead) {
        super("outbox row " + row.id() + " (queue '" + row.queue() + "') lies beyond outbox_id_seq's last value "
                + sequenceLastValue + " by more than dynamic-index.outbox.max-id-ahead (" + maxIdAhead + "): its id "
                + "did not come from the id default; nothing from this row on is published until it is removed "
                + "(move it: DELETE FROM outbox WHERE id = " + row.id() + ", and insert it again without an id)");
        this.rowId = row.id();
    }

    long rowId() {
        return rowId;
    }
}
