package io.dynamicindex.indexer.deadletter;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * The {@code dead_letter} table, created by the Flyway migrations at startup. The same message failing again (for
 * example after a replay) updates its row, found by the SHA-256 of the message: last attempt, reason, and replayed
 * cleared.
 */
@Component
public class DeadLetterStore {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterStore.class);
    private static final String COLUMNS = "id, queue, message, operation, document_index, document_id, error_type, "
            + "reason, first_seen, last_attempt, replayed_at";

    private final JdbcTemplate jdbc;

    public DeadLetterStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** A stored dead letter. */
    public record StoredDeadLetter(long id, String queue, String message, String operation, String index,
                                   String documentId, String errorType, String reason, Instant firstSeen,
                                   Instant lastAttempt, Instant replayedAt) {
    }

    /** Which dead letters to list, replay or purge; null or blank fields match everything. */
    public record Selection(String queue, String errorType, String documentId, Boolean replayed, int limit) {

        /** Whether any field narrows the selection; without one it matches every dead letter. */
        public boolean filters() {
            return present(queue) || present(errorType) || present(documentId) || replayed != null;
        }

        private static boolean present(String value) {
            return value != null && !value.isBlank();
        }
    }

    /**
     * Stores the dead letters with one upsert statement, in one transaction: a message already stored for its queue
     * gets a new last attempt, reason and operation, and is no longer marked replayed.
     *
     * @throws DataAccessException when PostgreSQL did not take them; nothing is then stored
     */
    @Transactional
    public void write(List<DeadLetter> letters) {
        jdbc.batchUpdate("INSERT INTO dead_letter (queue, message, message_sha256, operation, document_index, "
                + "document_id, error_type, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                + "ON CONFLICT (queue, message_sha256) DO UPDATE SET last_attempt = now(), "
                + "error_type = excluded.error_type, reason = excluded.reason, operation = excluded.operation, "
                + "replayed_at = NULL", letters, letters.size(), (statement, letter) -> {
                    statement.setString(1, letter.queue());
                    statement.setBytes(2, letter.message());
                    statement.setBytes(3, sha256(letter.message()));
                    statement.setString(4, letter.operation());
                    statement.setString(5, letter.index());
                    statement.setString(6, letter.id());
                    statement.setString(7, letter.errorType());
                    statement.setString(8, letter.reason());
                });
        letters.forEach(letter -> LOG.info("{}: dead-lettered {} ({}: {})", letter.queue(), letter.operation(),
                letter.errorType(), letter.reason()));
    }

    static byte[] sha256(byte[] message) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(message);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }

    public List<StoredDeadLetter> list(Selection selection) {
        List<Object> arguments = new ArrayList<>();
        String where = where(selection, arguments);
        arguments.add(selection.limit());
        return jdbc.query("SELECT " + COLUMNS + " FROM dead_letter" + where + " ORDER BY id LIMIT ?",
                DeadLetterStore::row, arguments.toArray());
    }

    public Optional<StoredDeadLetter> find(long id) {
        return jdbc.query("SELECT " + COLUMNS + " FROM dead_letter WHERE id = ?", DeadLetterStore::row, id)
                .stream().findFirst();
    }

    /** A letter claimed for replay: locked by the caller's transaction until it commits or rolls back. */
    public record Claimed(long id, String queue, byte[] message) {
    }

    /**
     * Locks up to limit letters of the selection that are not replayed yet, skipping letters another replay holds,
     * so that two replays never publish one letter. Call within a transaction; the locks end with it.
     */
    public List<Claimed> claimForReplay(Selection selection, int limit) {
        List<Object> arguments = new ArrayList<>();
        String where = where(new Selection(selection.queue(), selection.errorType(), selection.documentId(), false,
                limit), arguments);
        arguments.add(limit);
        return jdbc.query("SELECT id, queue, message FROM dead_letter" + where
                        + " ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED",
                (row, number) -> new Claimed(row.getLong("id"), row.getString("queue"), row.getBytes("message")),
                arguments.toArray());
    }

    /** Locks one letter for replay when it is not replayed yet and no other replay holds it. */
    public Optional<Claimed> claimForReplay(long id) {
        return jdbc.query("SELECT id, queue, message FROM dead_letter WHERE id = ? AND replayed_at IS NULL "
                        + "FOR UPDATE SKIP LOCKED",
                (row, number) -> new Claimed(row.getLong("id"), row.getString("queue"), row.getBytes("message")),
                id).stream().findFirst();
    }

    public void markReplayed(List<Long> ids) {
        jdbc.update("UPDATE dead_letter SET replayed_at = now() WHERE id = ANY(?)",
                (Object) ids.toArray(Long[]::new));
    }

    /** How many dead letters the selection matches, whatever its limit. */
    public long count(Selection selection) {
        List<Object> arguments = new ArrayList<>();
        String where = where(selection, arguments);
        Long count = jdbc.queryForObject("SELECT count(*) FROM dead_letter" + where, Long.class, arguments.toArray());
        return count == null ? 0 : count;
    }

    /**
     * Deletes every dead letter the selection matches, whatever its limit.
     *
     * @throws IllegalArgumentException when the selection has no filter: dead letters are the only copy of their
     *                                  messages, so all of them are never deleted at once
     */
    public int purge(Selection selection) {
        if (!selection.filters()) {
            throw new IllegalArgumentException("a purge needs a filter; deleting every dead letter is refused");
        }
        List<Object> arguments = new ArrayList<>();
        String where = where(selection, arguments);
        return jdbc.update("DELETE FROM dead_letter" + where, arguments.toArray());
    }

    public boolean purge(long id) {
        return jdbc.update("DELETE FROM dead_letter WHERE id = ?", id) == 1;
    }

    /** How many dead letters of one queue and error type wait for a replay. */
    public record DeadLetterCount(String queue, String errorType, long count) {
    }

    /** The dead letters not replayed yet, counted by queue and error type. */
    public List<DeadLetterCount> unreplayedCounts() {
        return jdbc.query("SELECT queue, error_type, count(*) AS letters FROM dead_letter WHERE replayed_at IS NULL "
                        + "GROUP BY queue, error_type ORDER BY queue, error_type",
                (row, number) -> new DeadLetterCount(row.getString("queue"), row.getString("error_type"),
                        row.getLong("letters")));
    }

    private static String where(Selection selection, List<Object> arguments) {
        List<String> conditions = new ArrayList<>();
        condition(conditions, arguments, "queue = ?", selection.queue());
        condition(conditions, arguments, "error_type = ?", selection.errorType());
        condition(conditions, arguments, "document_id = ?", selection.documentId());
        if (selection.replayed() != null) {
            conditions.add(selection.replayed() ? "replayed_at IS NOT NULL" : "replayed_at IS NULL");
        }
        return conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
    }

    private static void condition(List<String> conditions, List<Object> arguments, String sql, String value) {
        if (value != null && !value.isBlank()) {
            conditions.add(sql);
            arguments.add(value);
        }
    }

    private static StoredDeadLetter row(ResultSet row, int number) throws SQLException {
        return new StoredDeadLetter(row.getLong("id"), row.getString("queue"),
                new String(row.getBytes("message"), StandardCharsets.UTF_8), row.getString("operation"),
                row.getString("document_index"), row.getString("document_id"), row.getString("error_type"),
                row.getString("reason"), instant(row.getTimestamp("first_seen")),
                instant(row.getTimestamp("last_attempt")), instant(row.getTimestamp("replayed_at")));
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
