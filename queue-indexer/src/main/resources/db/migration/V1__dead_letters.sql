-- Messages the indexer could not apply and will not retry: each row keeps the original bytes for replay.
CREATE TABLE dead_letter (
    id             BIGSERIAL PRIMARY KEY,
    queue          TEXT        NOT NULL,
    message        BYTEA       NOT NULL,
    operation      TEXT,
    document_index TEXT,
    document_id    TEXT,
    error_type     TEXT        NOT NULL,
    reason         TEXT        NOT NULL,
    first_seen     TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_attempt   TIMESTAMPTZ NOT NULL DEFAULT now(),
    replayed_at    TIMESTAMPTZ
);
CREATE INDEX dead_letter_queue_idx ON dead_letter (queue, error_type);
CREATE INDEX dead_letter_document_idx ON dead_letter (document_id);
