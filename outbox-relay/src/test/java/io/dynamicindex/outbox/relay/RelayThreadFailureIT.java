package io.dynamicindex.outbox.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import net.javacrumbs.shedlock.core.LockProvider;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import io.dynamicindex.common.IndexAllowList;
import io.dynamicindex.outbox.support.RelayHarness;

/**
 * An {@link Error} in the relay thread (here thrown by the publisher, against the real PostgreSQL and RabbitMQ)
 * halts the relay visibly, with the reason, instead of ending the thread with the state frozen at PUBLISHING; the
 * lease is handed over and the stop is not marked clean.
 */
class RelayThreadFailureIT {

    @Test
    void anErrorInTheRelayThreadHaltsTheRelayVisibly() throws Exception {
        try (RelayHarness harness = new RelayHarness()) {
            ConfigurableApplicationContext context = harness.startInJvm();
            context.getBean(OutboxRelay.class).stop();
            harness.insert(10, 2);
            TransactionTemplate transactions = new TransactionTemplate(
                    context.getBean(PlatformTransactionManager.class));
            transactions.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
            RowPublisher failing = new RowPublisher(context.getBean(ConnectionFactory.class), "failing",
                    new BrokerBlock()) {
                @Override
                public void publish(List<OutboxRow> rows, long duplicateThrough, long deadlineNanos) {
                    throw new StackOverflowError("injected");
                }
            };
            OutboxRelay relay = new OutboxRelay(new OutboxStore(context.getBean(JdbcTemplate.class)), failing,
                    context.getBean(LockProvider.class), transactions, new OutboxRelay.RelaySettings("failing",
                    Map.of(harness.queue(), IndexAllowList.any()), 10, Duration.ofMillis(20), Duration.ofSeconds(3),
                    Fencing.of(Duration.ofSeconds(2), Duration.ofSeconds(2)), Duration.ofMillis(100),
                    Duration.ofMillis(500), Duration.ofDays(1), Duration.ofMinutes(1), 100, 16L << 20, 0),
                    new SimpleMeterRegistry(), new BrokerBlock());
            relay.start();
            try {
                await().atMost(Duration.ofSeconds(10)).until(() -> relay.status().state() == RelayState.HALTED);
                assertThat(relay.status().reason()).contains("StackOverflowError").contains("injected");
                Thread.sleep(300);
                assertThat(relay.status().state()).as("stays halted").isEqualTo(RelayState.HALTED);
                try (Connection connection = harness.database(); Statement statement = connection.createStatement();
                     ResultSet rs = statement.executeQuery("SELECT r.clean, r.last_id, "
                             + "(SELECT count(*) FROM outbox_relay_lease WHERE lock_until > now() at time zone 'utc') "
                             + "FROM outbox_relay_offset r")) {
                    rs.next();
                    assertThat(rs.getBoolean(1)).as("not a clean stop").isFalse();
                    assertThat(rs.getLong(2)).as("nothing stored as published").isZero();
                    assertThat(rs.getLong(3)).as("the lease is handed over").isZero();
                }
            } finally {
                relay.stop();
            }
        }
    }
}
