package io.dynamicindex.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.rabbitmq.client.Channel;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import io.dynamicindex.infra.RabbitService;
import io.dynamicindex.infra.RunTokens;
import io.dynamicindex.infra.TestNames;
import io.dynamicindex.outbox.relay.RelayState;
import io.dynamicindex.outbox.support.Published;
import io.dynamicindex.outbox.support.RelayHarness;
import io.dynamicindex.outbox.support.RelayView;

/**
 * Outbox rows that must not be published as they are, against the real PostgreSQL and RabbitMQ: a row bad in itself
 * (a queue the relay does not know, a payload over the message size, an index outside its queue's allow-list) is
 * moved to {@code outbox_rejected} while the rows of other producers after it are published in order, health is
 * DEGRADED (answered 200) while it waits there, and it is delivered once re-queued after the fix; a row whose id did
 * not come from the outbox sequence halts the relay visibly and is never skipped over.
 */
class BadRowsIT {

    private static final Duration DELIVERY = Duration.ofSeconds(20);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void aRowForAnUnknownQueueIsRejectedAndTheRowsAfterItGoOnThenReQueuedAfterTheFix() throws Exception {
        String unknown = TestNames.unique("outbox_unknown");
        try (RelayHarness harness = new RelayHarness()) {
            RelayView relay = new RelayView(harness.startInJvm(), harness);
            insertRows(harness, harness.queue(), "a", 1, 3);
            insert(harness, unknown, "b", "{\"seq\": 100}");
            insertRows(harness, harness.queue(), "c", 4, 6);

            publishedInOrder(harness, 6);
            long rejectedId = rejectedWith(relay, harness, unknown, "unknown_queue", unknown);

            relay.context().close();
            RelayView fixed = new RelayView(harness.startInJvm(Map.of(
                    "dynamic-index.outbox.queues." + unknown + ".lazy", "true")), harness);
            try {
                assertThat(operatorPost(fixed, "/api/v1/rejected/requeue").body()).contains("\"requeued\":1");
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(viewerGet(fixed,
                        "/actuator/auditevents?type=MANAGEMENT_CHANGE").body()).as("the re-queue is audited")
                        .contains("/api/v1/rejected/requeue"));
                await().atMost(DELIVERY).until(() -> depth(unknown) == 1);
                assertThat(rejectedCount(harness)).as("outbox_rejected after the re-queue").isZero();
                assertThat(rejectedId).isPositive();
                healthBecomesUp(fixed);
            } finally {
                deleteQueue(unknown);
            }
        }
    }

    @Test
    void aPayloadOverTheMessageSizeIsRejectedAndTheRowsAfterItGoOnThenReQueuedAfterTheFix() throws Exception {
        try (RelayHarness harness = new RelayHarness()) {
            RelayView relay = new RelayView(harness.startInJvm(Map.of("dynamic-index.outbox.max-message-size",
                    "1KB")), harness);
            insertRows(harness, harness.queue(), "a", 1, 2);
            insert(harness, harness.queue(), "b", "{\"seq\": 100, \"pad\": \"" + "x".repeat(2_000) + "\"}");
            insertRows(harness, harness.queue(), "c", 3, 4);

            publishedInOrder(harness, 4);
            long rejectedId = rejectedWith(relay, harness, harness.queue(), "message_too_large", "bytes");

            relay.context().close();
            RelayView fixed = new RelayView(harness.startInJvm(), harness);
            assertThat(operatorPost(fixed, "/api/v1/rejected/" + rejectedId + "/requeue").body())
                    .contains("\"requeued\":1");
            await().atMost(DELIVERY).until(() -> harness.depth() == 1);
            assertThat(harness.drain()).singleElement().extracting(Published::body).asString()
                    .contains("\"seq\": 100");
            assertThat(rejectedCount(harness)).as("outbox_rejected after the re-queue").isZero();
            healthBecomesUp(fixed);
        }
    }

    @Test
    void aRowForAnIndexOutsideItsQueuesAllowListIsRejectedAndTheRowsAfterItGoOnThenReQueuedAfterTheFix()
            throws Exception {
        String open = TestNames.unique("outbox_open");
        try (RelayHarness harness = new RelayHarness()) {
            String allowList = "dynamic-index.outbox.queues." + harness.queue() + ".indices";
            Map<String, String> queues = Map.of(allowList, "products,shop-*",
                    "dynamic-index.outbox.queues." + open + ".lazy", "true");
            RelayView relay = new RelayView(harness.startInJvm(queues), harness);
            try {
                insert(harness, harness.queue(), "a", change(1, "products"));
                insert(harness, harness.queue(), "a", "{\"seq\": 100, \"action\": \"index\", \"index\": "
                        + "\"products\", \"id\": \"d\", \"prevDelete\": [{\"index\": \"shop-old\", \"id\": \"d\"}, "
                        + "{\"index\": \"secret\", \"id\": \"d\"}]}");
                insert(harness, open, "b", change(2, "secret"));
                insert(harness, harness.queue(), "c", change(3, "shop-eu"));
                insert(harness, harness.queue(), "c", "{\"seq\": 4}");

                publishedInOrder(harness, 3);
                await().atMost(DELIVERY).until(() -> depth(open) == 1);
                rejectedWith(relay, harness, harness.queue(), "index_not_allowed", "prevDelete[1].index 'secret'",
                        allowList + " [products, shop-*]");

                assertThat(operatorPost(relay, "/api/v1/rejected/requeue").body()).contains("\"requeued\":1");
                await().atMost(DELIVERY).until(() -> rejectedCounter(relay, harness.queue(), "index_not_allowed")
                        == 2);
                assertThat(rejectedCount(harness)).as("re-queued before the fix: rejected again").isEqualTo(1);
                assertThat(harness.depth()).as("nothing of it published").isZero();

                relay.context().close();
                RelayView fixed = new RelayView(harness.startInJvm(queues, Map.of(allowList,
                        "products,shop-*,secret")), harness);
                assertThat(operatorPost(fixed, "/api/v1/rejected/requeue").body()).contains("\"requeued\":1");
                await().atMost(DELIVERY).until(() -> harness.depth() == 1);
                assertThat(harness.drain()).singleElement().extracting(Published::body).asString()
                        .contains("\"seq\": 100", "\"secret\"");
                assertThat(rejectedCount(harness)).as("outbox_rejected after the re-queue").isZero();
                healthBecomesUp(fixed);
            } finally {
                deleteQueue(open);
            }
        }
    }

    @Test
    void aRowWithAnIdBeyondTheSequenceHaltsTheRelayAndIsNeverSkippedOver() throws Exception {
        try (RelayHarness harness = new RelayHarness()) {
            RelayView relay = new RelayView(harness.startInJvm(), harness);
            insertRows(harness, harness.queue(), "a", 1, 3);
            long beyond;
            try (Connection admin = harness.database(); Statement statement = admin.createStatement();
                 ResultSet rs = statement.executeQuery("INSERT INTO outbox (id, queue, payload) SELECT last_value "
                         + "+ 1000000, '" + harness.queue() + "', '{\"seq\": 100}' FROM outbox_id_seq RETURNING id")) {
                rs.next();
                beyond = rs.getLong(1);
            }
            insertRows(harness, harness.queue(), "c", 4, 6);

            publishedInOrder(harness, 6);
            await().atMost(DELIVERY).until(() -> relay.status().state() == RelayState.HALTED);
            assertThat(relay.status().reason()).contains("outbox row " + beyond, "outbox_id_seq");
            assertThat(relay.storedLastId()).as("the stored offset").isLessThan(beyond);
            assertThat(relay.context().getBean(MeterRegistry.class).counter("dynamicindex.outbox.halts", "reason",
                    "id_beyond_sequence").count()).isEqualTo(1);
            assertThat(viewerGet(relay, "/actuator/health/outboxRelay").statusCode()).isEqualTo(503);

            insertRows(harness, harness.queue(), "d", 7, 7);
            publishedInOrder(harness, 1);
            assertThat(relay.status().state()).as("still halted at the row").isEqualTo(RelayState.HALTED);
            assertThat(relay.context().getBean(MeterRegistry.class).counter("dynamicindex.outbox.halts", "reason",
                    "id_beyond_sequence").count()).as("one halt per row").isEqualTo(1);
            try (Connection admin = harness.database(); Statement statement = admin.createStatement()) {
                statement.execute("DELETE FROM outbox WHERE id = " + beyond);
            }
            await().atMost(DELIVERY).until(() -> relay.status().state() == RelayState.PUBLISHING);
        }
    }

    /** Waits until the harness queue holds this many messages and checks they are the rows' seq values in order. */
    private static void publishedInOrder(RelayHarness harness, int messages) throws Exception {
        await().atMost(DELIVERY).until(() -> harness.depth() >= messages);
        List<Published> published = harness.drain();
        assertThat(published).hasSize(messages);
        List<Long> ids = published.stream().map(Published::outboxId).toList();
        assertThat(ids).as("outbox ids in queue order").isSorted();
        assertThat(published).noneMatch(p -> p.body().contains("\"seq\": 100"));
    }

    /**
     * The single rejected row: its reason, the status, the list API, health (DEGRADED, answered 200, for the component
     * and the whole, while readiness stays UP) and the metric say so.
     */
    private static long rejectedWith(RelayView relay, RelayHarness harness, String queue, String cause,
                                     String... named) throws Exception {
        await().atMost(DELIVERY).until(() -> viewerGet(relay, "/api/v1/status").body()
                .contains("\"rejectedRows\":1"));
        assertThat(relay.status().state()).isEqualTo(RelayState.PUBLISHING);
        String listed = viewerGet(relay, "/api/v1/rejected").body();
        assertThat(listed).contains(cause).contains(named);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(viewerGet(relay,
                "/actuator/auditevents?type=PAYLOAD_READ").body()).as("the read of payloads is audited")
                .contains("/api/v1/rejected"));
        HttpResponse<String> health = viewerGet(relay, "/actuator/health/outboxRelay");
        assertThat(health.statusCode()).as("DEGRADED is answered 200").isEqualTo(200);
        assertThat(status(health)).isEqualTo("DEGRADED");
        assertThat(health.body()).contains("\"rejectedRows\":1", "\"degraded\"");
        HttpResponse<String> whole = viewerGet(relay, "/actuator/health");
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(status(whole)).as("DEGRADED ranks above UP").isEqualTo("DEGRADED");
        HttpResponse<String> readiness = viewerGet(relay, "/actuator/health/readiness");
        assertThat(readiness.statusCode()).isEqualTo(200);
        assertThat(status(readiness)).isEqualTo("UP");
        assertThat(rejectedCounter(relay, queue, cause)).isEqualTo(1);
        try (Connection connection = harness.database(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT id, reason FROM outbox_rejected")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString("reason")).startsWith(cause).contains(named);
            return rs.getLong("id");
        }
    }

    /** Once the lag refresh (every 5 s) saw outbox_rejected empty, the component is UP again. */
    private static void healthBecomesUp(RelayView relay) {
        await().atMost(DELIVERY).untilAsserted(() -> {
            HttpResponse<String> health = viewerGet(relay, "/actuator/health/outboxRelay");
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(status(health)).isEqualTo("UP");
            assertThat(health.body()).contains("\"rejectedRows\":0").doesNotContain("\"degraded\"");
        });
    }

    private static String status(HttpResponse<String> health) {
        return JSON.readTree(health.body()).path("status").asString();
    }

    private static double rejectedCounter(RelayView relay, String queue, String cause) {
        return relay.context().getBean(MeterRegistry.class).counter("dynamicindex.outbox.rejected", "queue", queue,
                "reason", cause).count();
    }

    /** A change as a partner would send it, with the row's seq in its doc. */
    private static String change(int seq, String index) {
        return "{\"seq\": " + seq + ", \"action\": \"index\", \"index\": \"" + index + "\", \"id\": \"d" + seq
                + "\", \"doc\": {\"seq\": " + seq + "}}";
    }

    private static void insertRows(RelayHarness harness, String queue, String partner, int from, int to)
            throws SQLException {
        for (int seq = from; seq <= to; seq++) {
            insert(harness, queue, partner, "{\"seq\": " + seq + "}");
        }
    }

    private static void insert(RelayHarness harness, String queue, String partner, String payload)
            throws SQLException {
        try (Connection connection = harness.database(); PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO outbox (queue, partner, document_key, payload) VALUES (?, ?, 'doc', ?::jsonb)")) {
            insert.setString(1, queue);
            insert.setString(2, partner);
            insert.setString(3, payload);
            insert.executeUpdate();
        }
    }

    private static long rejectedCount(RelayHarness harness) throws SQLException {
        try (Connection connection = harness.database(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT count(*) FROM outbox_rejected")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static HttpResponse<String> viewerGet(RelayView relay, String path) throws Exception {
        return HttpClient.newHttpClient().send(RunTokens.asViewer(uri(relay, path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> operatorPost(RelayView relay, String path) throws Exception {
        HttpRequest request = RunTokens.operatorWrite(uri(relay, path), "POST", "").build();
        HttpResponse<String> response = HttpClient.newHttpClient().send(request,
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        return response;
    }

    private static URI uri(RelayView relay, String path) {
        return URI.create("http://127.0.0.1:" + relay.context().getEnvironment().getProperty("local.server.port")
                + path);
    }

    private static long depth(String queue) throws Exception {
        try (com.rabbitmq.client.Connection amqp = RabbitService.endpoint().connect();
             Channel channel = amqp.createChannel()) {
            return channel.queueDeclarePassive(queue).getMessageCount();
        }
    }

    private static void deleteQueue(String queue) throws Exception {
        try (com.rabbitmq.client.Connection amqp = RabbitService.endpoint().connect();
             Channel channel = amqp.createChannel()) {
            channel.queueDelete(queue);
        }
    }
}
