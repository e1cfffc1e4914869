package io.dynamicindex.indexer.rebuild;

/** A start or resume that cannot begin; nothing was changed. The endpoint answers the kind's status. */
public final class RebuildRefusal extends RuntimeException {

    /** Why a rebuild does not begin. */
    public enum Kind {

        /** The request is malformed: 400. */
        BAD_INPUT(400),

        /** The archive knows no such alias, or no rebuild of it is recorded: 404. */
        UNKNOWN(404),

        /** A rebuild of the alias runs, or stands unfinished, or the target index exists: 409. */
        CONFLICT(409);

        private final int status;

        Kind(int status) {
            this.status = status;
        }

        /** The HTTP status the endpoint answers. */
        public int status() {
            return status;
        }
    }

    private final Kind kind;

    /** A refusal of the given kind with a message that says what to do. */
    public RebuildRefusal(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
