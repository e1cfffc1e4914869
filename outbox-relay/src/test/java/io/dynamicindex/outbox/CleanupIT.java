package io.dynamicindex.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;

import io.dynamicindex.outbox.support.Copies;
import io.dynamicindex.outbox.support.Published;
import io.dynamicindex.outbox.support.RelayHarness;
import io.dynamicindex.outbox.support.RelayView;

/**
 * The retention clean-up with a retention of one second and every row older than that. The relay's first batch
 * (20 rows) publishes ids 1..10 and 12..21 past id 11, which a producer transaction still holds open, and the
 * clean-up that follows it deletes 1..10 only: not the published rows at or above the pending gap (12..21), not the
 * rows not yet published (22..100). Once the producer commits, row 11 is published; every row exactly once.
 */
class CleanupIT {

    private static final int ROWS = 100;

    @Test
    void deletesOnlyPublishedRowsBelowTheLowestPendingGap() throws Exception {
        try (RelayHarness harness = new RelayHarness()) {
            harness.startInJvm().close();
            harness.insert(10, 2);
            try (Connection held = harness.database()) {
                held.setAutoCommit(false);
                assertThat(insertOne(harness, held)).as("the held row's id").isEqualTo(11);
                harness.insert(ROWS - 11, 2);
                Thread.sleep(1_500);
                RelayView relay = new RelayView(harness.startInJvm(Map.of("dynamic-index.outbox.batch-size", "20",
                        "dynamic-index.outbox.cleanup.retention", "1s",
                        "dynamic-index.outbox.cleanup.interval", "1h")), harness);

                await().atMost(Duration.ofSeconds(20)).until(() -> relay.storedLastId() == ROWS);
                assertThat(relay.status().pendingIds()).as("id 11 pending").isEqualTo(1);
                assertThat(outboxIds(harness)).as("after the clean-up that followed the first batch")
                        .containsExactlyElementsOf(LongStream.rangeClosed(12, ROWS).boxed().toList());

                held.commit();
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> pendingGaps(harness).isEmpty());
            List<Published> messages = harness.drain();
            assertThat(Copies.byOutboxId(messages).keySet()).as("every row")
                    .containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(1, ROWS).boxed().toList());
            assertThat(messages).as("each once").hasSize(ROWS).noneMatch(Published::possibleDuplicate);
            assertThat(outboxIds(harness)).as("no clean-up ran since")
                    .containsExactlyElementsOf(LongStream.rangeClosed(11, ROWS).boxed().toList());
        }
    }

    /**
     * A graceful stop (what SIGTERM does: the context closes) while a clean-up chunk waits on a row lock: the stop
     * ends within the stop timeout, right after that chunk's statement timeout, with no further chunk, and it is
     * clean (a failed clean-up chunk is no failed batch) with the lease handed over.
     */
    @Test
    void aStopDuringTheCleanUpEndsInTimeAndIsClean() throws Exception {
        try (RelayHarness harness = new RelayHarness()) {
            var context = harness.startInJvm(Map.of("dynamic-index.outbox.cleanup.retention", "1s",
                    "dynamic-index.outbox.cleanup.interval", "1s", "dynamic-index.outbox.cleanup.chunk-size", "1",
                    "dynamic-index.outbox.statement-timeout", "3s"));
            RelayView relay = new RelayView(context, harness);
            try (Connection held = harness.database()) {
                held.setAutoCommit(false);
                harness.insert(50, 2);
                await().atMost(Duration.ofSeconds(20)).until(() -> relay.storedLastId() == 50);
                try (PreparedStatement lock = held.prepareStatement("SELECT id FROM outbox WHERE id = 1 FOR UPDATE")) {
                    lock.executeQuery().close();
                }
                await("a clean-up chunk waits on the locked row").atMost(Duration.ofSeconds(10))
                        .until(() -> cleanUpWaiting(harness));
                long stopping = System.nanoTime();
                context.close();
                Duration took = Duration.ofNanos(System.nanoTime() - stopping);
                assertThat(took).as("the stop ended with the waiting chunk (statement timeout 3 s), within the stop "
                        + "timeout").isLessThan(Duration.ofSeconds(5));
                held.rollback();
            }
            try (Connection connection = harness.database(); PreparedStatement statement = connection.prepareStatement(
                    "SELECT r.clean, (SELECT count(*) FROM outbox_relay_lease WHERE lock_until > "
                            + "now() at time zone 'utc') FROM outbox_relay_offset r");
                 ResultSet rs = statement.executeQuery()) {
                rs.next();
                assertThat(rs.getBoolean(1)).as("a clean stop").isTrue();
                assertThat(rs.getLong(2)).as("the lease handed over").isZero();
            }
            assertThat(outboxIds(harness)).as("nothing deleted past the locked row").contains(1L);
        }
    }

    private static boolean cleanUpWaiting(RelayHarness harness) throws SQLException {
        try (Connection connection = harness.database(); PreparedStatement statement = connection.prepareStatement(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                        + "AND query LIKE 'DELETE FROM outbox WHERE id IN%'");
             ResultSet rs = statement.executeQuery()) {
            rs.next();
            return rs.getLong(1) > 0;
        }
    }

    private static long insertOne(RelayHarness harness, Connection connection) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO outbox (queue, partner, "
                + "document_key, payload) VALUES (?, 'test', 'held', '{\"held\": true}'::jsonb) RETURNING id")) {
            insert.setString(1, harness.queue());
            try (ResultSet id = insert.executeQuery()) {
                id.next();
                return id.getLong(1);
            }
        }
    }

    /** The stored pending gaps' first ids. */
    private static List<Long> pendingGaps(RelayHarness harness) throws SQLException {
        return ids(harness, "SELECT unnest(gap_from) FROM outbox_relay_offset");
    }

    private static List<Long> outboxIds(RelayHarness harness) throws SQLException {
        return ids(harness, "SELECT id FROM outbox ORDER BY id");
    }

    private static List<Long> ids(RelayHarness harness, String sql) throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (Connection connection = harness.database(); PreparedStatement statement = connection.prepareStatement(sql);
             ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                ids.add(rs.getLong(1));
            }
        }
        return ids;
    }
}
