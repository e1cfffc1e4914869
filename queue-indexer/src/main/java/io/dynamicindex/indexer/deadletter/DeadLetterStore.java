package io.dynamicindex.indexer.deadletter;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** Writes dead letters to the {@code dead_letter} table, created by the Flyway migration at startup. */
@Component
public class DeadLetterStore {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterStore.class);

    private final JdbcTemplate jdbc;

    public DeadLetterStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Stores the dead letter.
     *
     * @return false when PostgreSQL could not take it; the caller must then not acknowledge the message
     */
    public boolean write(DeadLetter letter) {
        try {
            jdbc.update("INSERT INTO dead_letter (queue, message, operation, document_index, document_id, "
                            + "error_type, reason) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    letter.queue(), letter.message(), letter.operation(), letter.index(), letter.id(),
                    letter.errorType(), letter.reason());
            LOG.info("{}: dead-lettered {} ({}: {})", letter.queue(), letter.operation(), letter.errorType(),
                    letter.reason());
            return true;
        } catch (DataAccessException e) {
            LOG.warn("{}: cannot store a dead letter now, the message will be redelivered: {}", letter.queue(),
                    e.getMessage());
            return false;
        }
    }
}
