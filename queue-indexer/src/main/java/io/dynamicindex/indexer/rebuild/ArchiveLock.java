package io.dynamicindex.indexer.rebuild;

import java.time.Duration;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import io.dynamicindex.common.Backoff;
import io.dynamicindex.indexer.archive.ArchiveWriter;

/**
 * The archive's exclusive transaction lock of one index name's slot, {@code pg_advisory_xact_lock(hashtext(
 * 'dynamic-index.archive'), hashtext(alias) & 15)} ({@link ArchiveWriter#lockKeys}). Every batch that writes the
 * alias holds the shared form from before its Elasticsearch write until its archive commit, so while this lock is
 * held no such batch is in between: every archive row of the alias with a change_seq up to the sequence's last value
 * is committed, and no new one is written. Batches of other names in the same slot (one in sixteen) pause with them.
 * Each wait is bounded by {@code lock_timeout}; a wait that times out is retried with back-off a bounded number of
 * times. Live writers of the alias queue behind a waiting request, so the timeout bounds their pause too.
 */
final class ArchiveLock {

    private static final Logger LOG = LoggerFactory.getLogger(ArchiveLock.class);

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final RebuildProperties settings;
    private final Backoff backoff;

    ArchiveLock(JdbcTemplate jdbc, TransactionTemplate transactions, RebuildProperties settings) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.settings = settings;
        this.backoff = Backoff.withRandomJitter(settings.initialBackoff(), settings.maxBackoff());
    }

    /**
     * The change sequence's last value read under the lock (0 when no value was ever taken): every archive row of
     * the alias up to it is committed.
     */
    long horizon(String alias) {
        return whileHolding(alias, () -> jdbc.queryForObject(
                "SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM archive_change_seq", Long.class));
    }

    /**
     * Runs work in one transaction that holds the lock; the work's JDBC calls on the rebuild's template join it,
     * and its end (commit or rollback) releases the lock.
     */
    <T> T whileHolding(String alias, Supplier<T> work) {
        for (int attempt = 0; ; attempt++) {
            try {
                return transactions.execute(status -> {
                    jdbc.execute("SET LOCAL lock_timeout = '" + settings.lockTimeout().toMillis() + "ms'");
                    jdbc.queryForObject("SELECT pg_advisory_xact_lock(" + ArchiveWriter.lockKeys("?") + ") IS NULL",
                            Boolean.class, alias);
                    return work.get();
                });
            } catch (PessimisticLockingFailureException busy) {
                if (attempt + 1 >= settings.lockAttempts()) {
                    throw new RebuildFailure("the archive lock of " + alias + " was not granted within "
                            + settings.lockTimeout() + " in " + settings.lockAttempts() + " attempts: live batches of "
                            + "this index hold it (a slow Elasticsearch?)", busy);
                }
                Duration wait = backoff.delay(attempt);
                LOG.warn("{}: the archive lock was not granted within {} (attempt {} of {}), again in {} ms", alias,
                        settings.lockTimeout(), attempt + 1, settings.lockAttempts(), wait.toMillis());
                Pause.sleep(wait);
            }
        }
    }
}
