-- The outbox: producers insert one row per change in their own transactions; the relay publishes each row to the
-- source queue it names. Ids come from a sequence without a cache, so that they are handed out in time order.
CREATE SEQUENCE outbox_id_seq CACHE 1;

-- The id of a new outbox row. It first gives the inserting transaction its transaction id, then takes the next
-- sequence value: so every transaction that holds an id has a transaction id older than any later id's commit,
-- which is what lets the relay tell a gap that may still fill from one that never will (see OffsetBook).
-- Keep CACHE 1: a cache hands out ids per session, out of time order.
CREATE FUNCTION outbox_next_id() RETURNS BIGINT
    LANGUAGE plpgsql
    SET search_path FROM CURRENT
AS $$
BEGIN
    PERFORM pg_current_xact_id();
    RETURN nextval('outbox_id_seq');
END
$$;

CREATE TABLE outbox (
    id           BIGINT      PRIMARY KEY DEFAULT outbox_next_id(),
    queue        TEXT        NOT NULL,
    partner      TEXT,
    document_key TEXT,
    payload      JSONB       NOT NULL CHECK (jsonb_typeof(payload) = 'object'),
    created_at   TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp()
);
ALTER SEQUENCE outbox_id_seq OWNED BY outbox.id;

-- What the relay has published, durably: every id up to last_id is published, or a hole that will never fill, or
-- inside one of the pending gap ranges [gap_from[i], gap_to[i]], which may still fill while a transaction with an id
-- below gap_horizon[i] runs. holder is the instance that publishes; clean says it stopped with nothing published beyond this.
CREATE TABLE outbox_relay_offset (
    relay      TEXT        PRIMARY KEY,
    last_id    BIGINT      NOT NULL,
    gap_from   BIGINT[]    NOT NULL DEFAULT '{}',
    gap_to     BIGINT[]    NOT NULL DEFAULT '{}',
    gap_horizon BIGINT[]    NOT NULL DEFAULT '{}',
    holder     TEXT,
    clean      BOOLEAN     NOT NULL DEFAULT TRUE,
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
INSERT INTO outbox_relay_offset (relay, last_id) VALUES ('outbox', 0);

-- ShedLock's lock table: the lease of the relay instance that publishes (times in UTC, database time).
CREATE TABLE outbox_relay_lease (
    name       VARCHAR(255) PRIMARY KEY,
    lock_until TIMESTAMP    NOT NULL,
    locked_at  TIMESTAMP    NOT NULL,
    locked_by  VARCHAR(255) NOT NULL
);
