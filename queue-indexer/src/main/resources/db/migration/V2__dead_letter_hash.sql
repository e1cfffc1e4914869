-- The same message failing again updates its row instead of adding one. Finding that row compared the whole message
-- (an unindexed BYTEA) on every write; a SHA-256 of it, unique per queue, makes the lookup an index probe and lets
-- a batch's dead letters be written with one upsert statement.
ALTER TABLE dead_letter ADD COLUMN message_sha256 BYTEA;
UPDATE dead_letter SET message_sha256 = sha256(message);
DELETE FROM dead_letter newer USING dead_letter older
    WHERE newer.queue = older.queue AND newer.message_sha256 = older.message_sha256 AND newer.id > older.id;
ALTER TABLE dead_letter ALTER COLUMN message_sha256 SET NOT NULL;
CREATE UNIQUE INDEX dead_letter_message_idx ON dead_letter (queue, message_sha256);
