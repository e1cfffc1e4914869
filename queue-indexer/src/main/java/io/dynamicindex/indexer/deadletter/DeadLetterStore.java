package io.dynamicindex.indexer.deadletter;

import java.nio.charset.StandardCharsets;
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

/**
 * The {@code dead_letter} table, created by the Flyway migration at startup. The same message failing again (for
 * example after a replay) updates its row: last attempt, reason, and replayed cleared.
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

    /** Which dead letters to list, replay or purge; null fields match everything. */
    public record Selection(String queue, String errorType, String documentId, Boolean replayed, int limit) {
    }

    /**
     * Stores the dead letter.
     *
     * @return false when PostgreSQL could not take it; the caller must then not acknowledge the message
     */
    public boolean write(DeadLetter letter) {
        try {
            int updated = jdbc.update("UPDATE dead_letter SET last_attempt = now(), error_type = ?, reason = ?, "
                            + "operation = ?, replayed_at = NULL WHERE queue = ? AND message = ?",
                    letter.errorType(), letter.reason(), letter.operation(), letter.queue(), letter.message());
            if (updated == 0) {
                jdbc.update("INSERT INTO dead_letter (queue, message, operation, document_index, document_id, "
                                + "error_type, reason) VALUES (?, ?, ?, ?, ?, ?, ?)",
                        letter.queue(), letter.message(), letter.operation(), letter.index(), letter.id(),
                        letter.errorType(), letter.reason());
            }
            LOG.info("{}: dead-lettered {} ({}: {})", letter.queue(), letter.operation(), letter.errorType(),
                    letter.reason());
            return true;
        } catch (DataAccessException e) {
            LOG.warn("{}: cannot store a dead letter now, the message will be redelivered: {}", letter.queue(),
                    e.getMessage());
            return false;
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

    public byte[] originalMessage(long id) {
        return jdbc.queryForObject("SELECT message FROM dead_letter WHERE id = ?", byte[].class, id);
    }

    public void markReplayed(long id) {
        jdbc.update("UPDATE dead_letter SET replayed_at = now() WHERE id = ?", id);
    }

    public int purge(Selection selection) {
        List<Object> arguments = new ArrayList<>();
        String where = where(selection, arguments);
        return jdbc.update("DELETE FROM dead_letter" + where, arguments.toArray());
    }

    public boolean purge(long id) {
        return jdbc.update("DELETE FROM dead_letter WHERE id = ?", id) == 1;
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
