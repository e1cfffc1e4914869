package io.dynamicindex.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;

import io.dynamicindex.infra.RabbitNode;
import io.dynamicindex.outbox.relay.RelayState;
import io.dynamicindex.outbox.support.Copies;
import io.dynamicindex.outbox.support.Published;
import io.dynamicindex.outbox.support.RelayHarness;
import io.dynamicindex.outbox.support.RelayView;

/**
 * A memory alarm on a RabbitMQ node of the test's own blocks the relay's connection mid-stream (after 500 rows, before
 * the other 2,500 are inserted, so that the alarm is in force when the relay publishes them): the relay shows
 * {@code BACKING_OFF} with "RabbitMQ: connection blocked (...)" within a bound instead of hanging in a publish, keeps
 * renewing its lease (so no other instance takes over), publishes nothing and stores no offset while blocked, and
 * once the alarm clears every row arrives, a second copy only ever marked, the last copies in id order.
 */
class BrokerAlarmIT {

    private static final int ROWS = 3_000;
    private static final int BEFORE_ALARM = 500;

    @Test
    void aBlockedConnectionHoldsPublishingVisiblyAndLosesNothing() throws Exception {
        assumeTrue(RabbitNode.availability() == null, RabbitNode.availability());
        try (RabbitNode node = RabbitNode.start(); RelayHarness harness = new RelayHarness(node.endpoint())) {
            RelayView relay = new RelayView(harness.startInJvm(Map.of("dynamic-index.outbox.batch-size", "20")),
                    harness);
            harness.insert(BEFORE_ALARM, 10);
            await().atMost(Duration.ofSeconds(30)).until(() -> relay.storedLastId() == BEFORE_ALARM);

            node.raiseMemoryAlarm();
            harness.insert(ROWS - BEFORE_ALARM, 10);
            await("blocked state").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                    .until(() -> relay.status().state() == RelayState.BACKING_OFF
                            && relay.status().reason() != null
                            && relay.status().reason().startsWith("RabbitMQ: connection blocked ("));
            assertThat(relay.statusApi()).contains("connection blocked");
            Thread.sleep(1_000);
            long depth = node.messages(harness.queue())[0];
            long lastId = relay.storedLastId();
            Timestamp leaseUntil = leaseUntil(harness);
            Thread.sleep(4_000);
            assertThat(node.messages(harness.queue())[0]).as("nothing published while blocked").isEqualTo(depth);
            assertThat(relay.storedLastId()).as("no offset stored while blocked").isEqualTo(lastId);
            assertThat(lastId).as("blocked mid-stream").isLessThan(ROWS);
            assertThat(leaseUntil(harness)).as("the lease is renewed while blocked").isAfter(leaseUntil);
            assertThat(relay.status().state()).isEqualTo(RelayState.BACKING_OFF);
            assertThat(relay.status().reason()).startsWith("RabbitMQ: connection blocked (");

            node.clearAlarm();
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(relay.storedLastId())
                    .as("the stored offset; the relay's status: %s", relay.status()).isEqualTo(ROWS));
            await().atMost(Duration.ofSeconds(10)).until(() -> relay.status().state() == RelayState.PUBLISHING);
            Thread.sleep(500);
            List<Published> messages = harness.drain();
            assertThat(Copies.byOutboxId(messages).keySet()).as("every row at least once")
                    .containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(1, ROWS).boxed().toList());
            assertThat(Copies.unmarkedTwice(messages)).as("a second copy is always marked").isEmpty();
            assertThat(Copies.lastCopiesOutOfOrder(messages)).as("last copies out of id order").isEmpty();
        }
    }

    private static Timestamp leaseUntil(RelayHarness harness) throws Exception {
        try (Connection connection = harness.database(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT lock_until FROM outbox_relay_lease")) {
            assertThat(rs.next()).as("a lease row").isTrue();
            return rs.getTimestamp(1);
        }
    }
}
