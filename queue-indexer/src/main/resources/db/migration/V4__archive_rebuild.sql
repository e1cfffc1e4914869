-- One row per alias rebuilt from the archive: where the rebuild stands, so that it is visible while it runs and
-- resumes after a crash from its last key. A new rebuild of the same alias replaces the row of a finished one.
CREATE TABLE archive_rebuild (
    alias          TEXT        PRIMARY KEY,
    target_index   TEXT        NOT NULL,
    settings       JSONB       NOT NULL,
    phase          TEXT        NOT NULL CHECK (phase IN ('copying', 'catching_up', 'switched', 'failed')),
    failed_in      TEXT        CHECK (failed_in IN ('copying', 'catching_up')),
    last_doc_id    TEXT,
    mark_seq       BIGINT,
    copied         BIGINT      NOT NULL DEFAULT 0,
    caught_up      BIGINT      NOT NULL DEFAULT 0,
    total_estimate BIGINT,
    resumes        INTEGER     NOT NULL DEFAULT 0,
    run_base       BIGINT      NOT NULL DEFAULT 0,
    started_at     TIMESTAMPTZ NOT NULL,
    run_started_at TIMESTAMPTZ NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL,
    switched_at    TIMESTAMPTZ,
    previous       TEXT,
    error          TEXT
);
