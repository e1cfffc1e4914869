-- The archive: the latest state of every document that an archived queue changed, written in the same unit as the
-- Elasticsearch bulks of its batch. index_name is the name the operations carry (an alias when the index is rebuilt
-- behind one). change_seq comes from archive_change_seq on every write, so a rebuild catches up by it.
CREATE SEQUENCE archive_change_seq;
CREATE TABLE archive_document (
    index_name   TEXT        NOT NULL,
    doc_id       TEXT        NOT NULL,
    routing      TEXT,
    version      BIGINT,
    document     JSONB,
    deleted      BOOLEAN     NOT NULL,
    changed_at   TIMESTAMPTZ NOT NULL,
    source_queue TEXT        NOT NULL,
    change_seq   BIGINT      NOT NULL,
    PRIMARY KEY (index_name, doc_id)
);
CREATE INDEX archive_document_seq_idx ON archive_document (index_name, change_seq);

-- The optional append-only change log: one row per applied operation, kept for the queue's retention.
CREATE TABLE archive_change (
    seq          BIGSERIAL PRIMARY KEY,
    index_name   TEXT        NOT NULL,
    doc_id       TEXT        NOT NULL,
    operation    TEXT        NOT NULL,
    version      BIGINT,
    document     JSONB,
    changed_at   TIMESTAMPTZ NOT NULL,
    source_queue TEXT        NOT NULL
);
CREATE INDEX archive_change_time_idx ON archive_change (source_queue, changed_at);
