-- Rows the relay refused because of the row itself (a queue the relay does not know, a payload over the broker's
-- message size), moved here from the outbox in the batch transaction that advances the offset past them, so that one
-- bad row never stops the rows of other producers. An operator lists them and re-queues them (inserted back into the
-- outbox as new rows, with new ids) through the relay's management API.
CREATE TABLE outbox_rejected (
    id           BIGINT      PRIMARY KEY,
    queue        TEXT        NOT NULL,
    partner      TEXT,
    document_key TEXT,
    payload      JSONB       NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    reason       TEXT        NOT NULL,
    rejected_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
