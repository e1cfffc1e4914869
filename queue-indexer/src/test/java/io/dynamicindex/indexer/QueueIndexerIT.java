package io.dynamicindex.indexer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import io.dynamicindex.infra.ElasticsearchEndpoint;
import io.dynamicindex.infra.ElasticsearchService;
import io.dynamicindex.infra.PostgresEndpoint;
import io.dynamicindex.infra.PostgresService;
import io.dynamicindex.infra.RabbitEndpoint;
import io.dynamicindex.infra.RabbitService;
import io.dynamicindex.infra.TestNames;

/** The indexer against real RabbitMQ, Elasticsearch and PostgreSQL. */
class QueueIndexerIT {

    private final RabbitEndpoint rabbit = RabbitService.endpoint();
    private final ElasticsearchEndpoint elasticsearch = ElasticsearchService.endpoint();
    private final PostgresEndpoint postgres = PostgresService.endpoint();
    private final String queue = TestNames.unique("idx_q");
    private final String index = TestNames.unique("idx");
    private final String schema = TestNames.unique("idx_s");
    private ConfigurableApplicationContext indexer;

    @BeforeEach
    void start() {
        postgres.createSchema(schema);
        elasticsearch.call("PUT", "/" + index, "{\"mappings\":{\"properties\":{\"price\":{\"type\":\"integer\"}}}}");
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("server.port", "0");
        properties.putAll(rabbit.springProperties());
        properties.putAll(postgres.springProperties(schema));
        properties.put("dynamic-index.indexer.elasticsearch.hosts", elasticsearch.url());
        properties.put("dynamic-index.indexer.queues." + queue + ".consumers", "1");
        properties.put("dynamic-index.indexer.workers", "3");
        properties.put("dynamic-index.indexer.buffer.max-size", "50");
        properties.put("dynamic-index.indexer.buffer.max-interval", "200ms");
        properties.put("dynamic-index.indexer.prefetch", "100");
        indexer = new SpringApplicationBuilder(QueueIndexerApplication.class).run(properties.entrySet().stream()
                .map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new));
    }

    @AfterEach
    void stop() throws Exception {
        indexer.close();
        try (com.rabbitmq.client.Connection connection = rabbit.connect(); Channel channel = connection.createChannel()) {
            channel.queueDelete(queue);
        }
        elasticsearch.deleteIndex(index);
        postgres.dropSchema(schema);
    }

    @Test
    void indexesGoodMessagesAndDeadLettersPoisonWithItsReason() throws Exception {
        List<String> messages = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            messages.add(index("P" + i, "{\"name\":\"product " + i + "\",\"price\":" + i + "}"));
        }
        messages.add("{not json");
        messages.add("{\"action\":\"merge\",\"index\":\"" + index + "\",\"id\":\"X\"}");
        messages.add(index("BAD", "{\"price\":\"not a number\"}"));
        publish(messages);

        await().atMost(Duration.ofSeconds(60)).until(() -> elasticsearch.count(index) == 200 && deadLetters() == 3);
        assertThat(elasticsearch.source(index, "P7")).isEqualTo("{\"name\":\"product 7\",\"price\":7}");
        assertThat(deadLetterTypes()).containsExactlyInAnyOrder("malformed_json", "rejected",
                "mapper_parsing_exception");
        await().atMost(Duration.ofSeconds(10)).until(() -> unsettled() == 0);
    }

    @Test
    void appliesOperationsOnOneDocumentInQueueOrder() throws Exception {
        publish(List.of(
                index("P1", "{\"price\":1}"),
                "{\"action\":\"delete\",\"index\":\"" + index + "\",\"id\":\"P1\"}",
                index("P1", "{\"price\":3}"),
                "{\"action\":\"update\",\"index\":\"" + index + "\",\"id\":\"P1\",\"doc\":{\"name\":\"x\"}}",
                index("P2", "{\"price\":2}"),
                "{\"action\":\"delete\",\"index\":\"" + index + "\",\"id\":\"P2\"}",
                "{\"action\":\"index\",\"index\":\"" + index + "\",\"id\":\"V\",\"version\":5,\"doc\":{\"price\":5}}",
                "{\"action\":\"index\",\"index\":\"" + index + "\",\"id\":\"V\",\"version\":4,\"doc\":{\"price\":4}}"));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(elasticsearch.source(index, "P1")).isEqualTo("{\"price\":3,\"name\":\"x\"}");
            assertThat(elasticsearch.source(index, "P2")).isNull();
            assertThat(elasticsearch.source(index, "V")).isEqualTo("{\"price\":5}");
        });
        assertThat(elasticsearch.count(index)).isEqualTo(2);
        assertThat(deadLetters()).isZero();
    }

    private String index(String id, String doc) {
        return "{\"action\":\"index\",\"index\":\"" + index + "\",\"id\":\"" + id + "\",\"doc\":" + doc + "}";
    }

    private void publish(List<String> messages) throws Exception {
        try (com.rabbitmq.client.Connection connection = rabbit.connect(); Channel channel = connection.createChannel()) {
            channel.queueDeclare(queue, true, false, false, null);
            channel.confirmSelect();
            for (String message : messages) {
                channel.basicPublish("", queue, new AMQP.BasicProperties.Builder().deliveryMode(2).build(),
                        message.getBytes(StandardCharsets.UTF_8));
            }
            channel.waitForConfirmsOrDie(10_000);
        }
    }

    /** Messages still in the queue, ready or unacknowledged (a consumer-less declare-ok counts ready only). */
    private long unsettled() throws Exception {
        try (com.rabbitmq.client.Connection connection = rabbit.connect(); Channel channel = connection.createChannel()) {
            return channel.queueDeclarePassive(queue).getMessageCount();
        }
    }

    private long deadLetters() throws Exception {
        return deadLetterTypes().size();
    }

    private List<String> deadLetterTypes() throws Exception {
        List<String> types = new ArrayList<>();
        try (Connection connection = postgres.connect(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT error_type FROM \"" + schema + "\".dead_letter")) {
            while (rows.next()) {
                types.add(rows.getString(1));
            }
        } catch (java.sql.SQLException e) {
            return List.of();
        }
        return types;
    }
}
