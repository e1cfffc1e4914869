package io.dynamicindex.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URI;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;

import io.dynamicindex.infra.PostgresService;
import io.dynamicindex.infra.RabbitEndpoint;
import io.dynamicindex.infra.RabbitService;
import io.dynamicindex.infra.TcpProxy;
import io.dynamicindex.outbox.relay.RelayState;
import io.dynamicindex.outbox.support.Copies;
import io.dynamicindex.outbox.support.Published;
import io.dynamicindex.outbox.support.RelayHarness;
import io.dynamicindex.outbox.support.RelayView;

/**
 * The relay against PostgreSQL and RabbitMQ that fail mid-stream, each through a {@link TcpProxy} (or a full queue):
 * PostgreSQL refusing connections, PostgreSQL hanging, PostgreSQL going silent on open connections, a statement that
 * never returns, the broker connection cut,
 * the broker refusing publishes (nack). In each the relay backs off within a bound and says so (state and reason,
 * status API, failure counter), publishes nothing and stores no offset while the fault lasts beyond what the broker
 * had confirmed, and once the fault ends every row reaches the queue at least once, a second copy only ever marked
 * {@code x-possible-duplicate}.
 */
class RelayFaultsIT {

    private static final int ROWS = 3_000;
    private static final int LATER_ROWS = 500;
    /** How long a failed poll may take at most with the short timeouts below, and the time to notice it. */
    private static final Duration FAILURE_BOUND = Duration.ofSeconds(6);
    /** How long steps may wait on connections that went silent: a few socket and connection timeouts. */
    private static final Duration SILENT_BOUND = Duration.ofSeconds(12);
    /** Short JDBC bounds, so that a failed poll ends quickly: socket 2 s, pool wait 1 s, statements 1 s. */
    private static final Map<String, String> SHORT_POSTGRES_TIMEOUTS = Map.of(
            "spring.datasource.hikari.data-source-properties.socketTimeout", "2",
            "spring.datasource.hikari.connection-timeout", "1000",
            "dynamic-index.outbox.statement-timeout", "1s",
            "dynamic-index.outbox.batch-size", "20");

    @Test
    void postgresRefusingConnectionsMidStreamHoldsThePublishingAndLosesNothing() throws Exception {
        try (RelayHarness harness = new RelayHarness(); TcpProxy database = postgresProxy()) {
            RelayView relay = new RelayView(harness.startInJvm(throughPostgresProxy(harness, database)), harness);
            publishingMidStream(harness);
            database.cut();
            harness.insert(LATER_ROWS, 10);

            Stalled stalled = holdsWhileFaulty(relay, harness, "PostgreSQL refusing connections");
            assertThat(stalled.reason()).as("the reason names PostgreSQL").contains("PostgreSQL");
            database.restore();

            everyRowArrives(relay, harness, ROWS + LATER_ROWS);
        }
    }

    /**
     * {@link TcpProxy#hang()} closes the established connections (the batch in flight fails at once) and then holds
     * every new connection without an answer: each later poll ends when the pool gives up waiting (1 s).
     */
    @Test
    void postgresHangingMidStreamEndsEachPollWithinItsTimeoutsAndLosesNothing() throws Exception {
        try (RelayHarness harness = new RelayHarness(); TcpProxy database = postgresProxy()) {
            RelayView relay = new RelayView(harness.startInJvm(throughPostgresProxy(harness, database)), harness);
            publishingMidStream(harness);
            long hungAt = System.nanoTime();
            database.hang();
            harness.insert(LATER_ROWS, 10);

            Stalled stalled = holdsWhileFaulty(relay, harness, "PostgreSQL hanging");
            assertThat(Duration.ofNanos(stalled.noticedAt() - hungAt)).as("the first failed poll ended in time")
                    .isLessThan(Duration.ofSeconds(4));
            assertThat(stalled.reason()).as("the reason names PostgreSQL").contains("PostgreSQL");
            database.restore();

            everyRowArrives(relay, harness, ROWS + LATER_ROWS);
        }
    }

    /**
     * {@link TcpProxy#freeze()} leaves every established connection open and silent, as a partition does: the
     * statement in flight and the next one on each pooled connection get no answer and no reset, and only the JDBC
     * socket timeout (2 s) ends them. The state turns to backing off once a step fails: when the freeze catches the
     * connection reset after a commit (which Spring logs and drops), that is the next step's, on another pooled
     * connection or a new one, about 6 s after the freeze here (with the defaults' 30 s socket timeout, about a
     * minute). Each later poll borrows pooled connections that must each fail their validation first, so polls end
     * more slowly than in the other faults; the test allows {@link #SILENT_BOUND} for each.
     */
    @Test
    void postgresGoingSilentMidStatementEndsEachPollAtTheSocketTimeoutAndLosesNothing() throws Exception {
        try (RelayHarness harness = new RelayHarness(); TcpProxy database = postgresProxy()) {
            RelayView relay = new RelayView(harness.startInJvm(throughPostgresProxy(harness, database)), harness);
            publishingMidStream(harness);
            database.freeze();
            harness.insert(LATER_ROWS, 10);

            await("PostgreSQL silent").atMost(SILENT_BOUND).pollInterval(Duration.ofMillis(20))
                    .until(() -> relay.status().state() == RelayState.BACKING_OFF);
            assertThat(relay.status().reason()).as("the reason names PostgreSQL").contains("PostgreSQL");
            long depth = harness.depth();
            long lastId = relay.storedLastId();
            double failures = relay.failures();
            Thread.sleep(SILENT_BOUND.toMillis());
            assertThat(harness.depth()).as("nothing more published").isEqualTo(depth);
            assertThat(relay.storedLastId()).as("no offset stored").isEqualTo(lastId);
            assertThat(relay.failures()).as("failed polls end, and the next is tried").isGreaterThan(failures);
            assertThat(relay.status().state()).isEqualTo(RelayState.BACKING_OFF);
            database.restore();

            everyRowArrives(relay, harness, ROWS + LATER_ROWS);
        }
    }

    /** A statement that never returns (the outbox locked by another session) is cancelled at the statement timeout. */
    @Test
    void postgresStatementsThatNeverReturnAreCancelledAtTheStatementTimeout() throws Exception {
        try (RelayHarness harness = new RelayHarness()) {
            RelayView relay = new RelayView(harness.startInJvm(SHORT_POSTGRES_TIMEOUTS), harness);
            publishingMidStream(harness);
            try (Connection blocker = harness.database()) {
                blocker.setAutoCommit(false);
                long lockedAt = System.nanoTime();
                try (Statement lock = blocker.createStatement()) {
                    lock.execute("LOCK TABLE outbox IN ACCESS EXCLUSIVE MODE");
                }

                Stalled stalled = holdsWhileFaulty(relay, harness, "outbox table locked");
                assertThat(Duration.ofNanos(stalled.noticedAt() - lockedAt)).as("the first poll was cancelled "
                        + "at the statement timeout (1s)").isLessThan(Duration.ofSeconds(3));
                assertThat(stalled.reason()).as("the reason names PostgreSQL and the cancel")
                        .startsWith("PostgreSQL: ").contains("cancel");
                blocker.rollback();
            }

            everyRowArrives(relay, harness, ROWS);
        }
    }

    @Test
    void brokerConnectionCutMidStreamMarksNothingUnconfirmedAndLosesNothing() throws Exception {
        RabbitEndpoint rabbit = RabbitService.endpoint();
        try (RelayHarness harness = new RelayHarness(); TcpProxy broker = new TcpProxy(rabbit.host(), rabbit.port())) {
            RelayView relay = new RelayView(harness.startInJvm(Map.of("spring.rabbitmq.port",
                    String.valueOf(broker.port()), "dynamic-index.outbox.batch-size", "20")), harness);
            publishingMidStream(harness);
            broker.cut();
            harness.insert(LATER_ROWS, 10);

            Stalled stalled = holdsWhileFaulty(relay, harness, "broker connection cut");
            assertThat(stalled.reason()).as("the reason names RabbitMQ").contains("RabbitMQ");
            broker.restore();

            List<Published> messages = everyRowArrives(relay, harness, ROWS + LATER_ROWS);
            assertThat(ids(messages.subList(0, (int) stalled.depth()))).as("every row the stored offset counts as "
                    + "published was in the queue while the broker was cut off")
                    .containsAll(LongStream.rangeClosed(1, stalled.lastId()).boxed().toList());
        }
    }

    @Test
    void brokerRefusingPublishesHoldsTheOffsetUntilThereIsRoomThenDeliversInOrder() throws Exception {
        RabbitEndpoint rabbit = RabbitService.endpoint();
        assumeTrue(rabbit.isRabbitMq(), rabbit.rabbitMqOnly("x-overflow=reject-publish"));
        int rows = 100;
        try (RelayHarness harness = new RelayHarness()) {
            RelayView relay = new RelayView(harness.startInJvm(Map.of("dynamic-index.outbox.batch-size", "20",
                    "dynamic-index.outbox.queues." + harness.queue() + ".max-length", "5")), harness);
            harness.insert(rows, 10);

            Stalled stalled = holdsWhileFaulty(relay, harness, "queue full (reject-publish)");
            assertThat(stalled.reason()).as("the reason names the nack").contains("nack");
            assertThat(stalled.depth()).as("the queue is full").isEqualTo(5);
            assertThat(stalled.lastId()).as("no offset past a refused row").isZero();

            List<Published> messages = consumeUntilEveryRowArrived(harness, rows);
            await().atMost(Duration.ofSeconds(10)).until(() -> relay.storedLastId() == rows);
            assertThat(Copies.byOutboxId(messages).keySet()).as("every row")
                    .containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(1, rows).boxed().toList());
            inOrderWithSecondCopiesMarked(messages);
            await().atMost(Duration.ofSeconds(5)).until(() -> relay.status().state() == RelayState.PUBLISHING);
        }
    }

    /**
     * What the relay showed while the fault lasted.
     *
     * @param noticedAt {@link System#nanoTime()} when the state turned to backing off
     * @param depth     the queue's depth once the relay had backed off
     * @param lastId    the stored offset then
     */
    private record Stalled(long noticedAt, String reason, long depth, long lastId) {
    }

    /**
     * The relay backs off within the bound, with a reason; then for three seconds the queue and the stored offset do
     * not move, while failed polls keep ending (the failure counter grows); the status API says so.
     */
    private static Stalled holdsWhileFaulty(RelayView relay, RelayHarness harness, String fault) throws Exception {
        await(fault).atMost(FAILURE_BOUND).pollInterval(Duration.ofMillis(20))
                .until(() -> relay.status().state() == RelayState.BACKING_OFF);
        long noticedAt = System.nanoTime();
        String reason = relay.status().reason();
        Thread.sleep(1_000);
        long depth = harness.depth();
        long lastId = relay.storedLastId();
        double failures = relay.failures();
        Thread.sleep(3_000);
        assertThat(harness.depth()).as(fault + ": nothing more published").isEqualTo(depth);
        assertThat(relay.storedLastId()).as(fault + ": no offset stored").isEqualTo(lastId);
        assertThat(relay.failures()).as(fault + ": each failed poll ends, and the next is tried")
                .isGreaterThanOrEqualTo(failures + 2);
        assertThat(relay.status().state()).as(fault).isEqualTo(RelayState.BACKING_OFF);
        assertThat(relay.statusApi()).as(fault + ": the status API").contains("\"state\":\"BACKING_OFF\"");
        return new Stalled(noticedAt, reason, depth, lastId);
    }

    /** Inserts ROWS rows and waits until the relay has published some, not all of them. */
    private static void publishingMidStream(RelayHarness harness) throws Exception {
        harness.insert(ROWS, 10);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10))
                .until(() -> harness.depth() >= 300);
        assertThat(harness.depth()).as("mid-stream").isLessThan(ROWS);
    }

    /** Waits until the offset covers every row, then checks what reached the queue: every row, seconds marked. */
    private static List<Published> everyRowArrives(RelayView relay, RelayHarness harness, int rows) throws Exception {
        await().atMost(Duration.ofSeconds(40)).untilAsserted(() -> assertThat(relay.storedLastId())
                .as("the stored offset; the relay's status: %s", relay.status()).isEqualTo(rows));
        await().atMost(Duration.ofSeconds(10)).until(() -> relay.status().state() == RelayState.PUBLISHING);
        List<Published> messages = harness.drain();
        assertThat(Copies.byOutboxId(messages).keySet()).as("every row at least once")
                .containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(1, rows).boxed().toList());
        inOrderWithSecondCopiesMarked(messages);
        return messages;
    }

    /**
     * Whatever failed, a consumer that applies every copy in queue order ends where the rows' order leads: the last
     * copies are in id order, and nothing unmarked comes after a higher id or twice. (The first copies need not be in
     * order: when a full queue refuses a message and a consumer makes room before the next one of the same batch
     * arrives, that one gets in first, and the refused one follows in the retry, marked.)
     */
    private static void inOrderWithSecondCopiesMarked(List<Published> messages) {
        assertThat(Copies.lastCopiesOutOfOrder(messages)).as("last copies out of id order").isEmpty();
        assertThat(Copies.unmarkedAfterHigher(messages)).as("unmarked copies after a higher id").isEmpty();
        assertThat(Copies.unmarkedTwice(messages)).as("a second copy is always marked").isEmpty();
    }

    /** Takes messages out of the full queue as they come, making room, until every row arrived once. */
    private static List<Published> consumeUntilEveryRowArrived(RelayHarness harness, int rows) throws Exception {
        List<Published> messages = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (Copies.byOutboxId(messages).size() < rows && System.nanoTime() < deadline) {
            messages.addAll(harness.drain());
            Thread.sleep(20);
        }
        assertThat(Copies.byOutboxId(messages)).as("rows that arrived while the queue was drained").hasSize(rows);
        return messages;
    }

    private static List<Long> ids(List<Published> messages) {
        return messages.stream().map(Published::outboxId).toList();
    }

    private static TcpProxy postgresProxy() {
        URI jdbc = URI.create(PostgresService.endpoint().jdbcUrl().substring("jdbc:".length()));
        return new TcpProxy(jdbc.getHost(), jdbc.getPort());
    }

    /** The relay's JDBC URL through the proxy, with the short timeouts. */
    private static Map<String, String> throughPostgresProxy(RelayHarness harness, TcpProxy database) {
        Map<String, String> properties = new HashMap<>(SHORT_POSTGRES_TIMEOUTS);
        properties.put("spring.datasource.url", harness.properties().get("spring.datasource.url")
                .replaceFirst(":\\d+/", ":" + database.port() + "/"));
        return properties;
    }
}
