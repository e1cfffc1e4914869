package io.dynamicindex.indexer;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.dynamicindex.common.QueueArguments;
import io.dynamicindex.indexer.health.PipelineState;
import io.dynamicindex.indexer.health.QueueStatuses;
import io.dynamicindex.infra.ElasticsearchEndpoint;
import io.dynamicindex.infra.ElasticsearchService;
import io.dynamicindex.infra.PostgresEndpoint;
import io.dynamicindex.infra.PostgresService;
import io.dynamicindex.infra.RabbitEndpoint;
import io.dynamicindex.infra.RabbitService;
import io.dynamicindex.infra.TestNames;
import io.dynamicindex.infra.RunTokens;

/**
 * One queue, one PostgreSQL schema and the indices of a test, with an in-JVM indexer on them; removes all of it
 * on close. Talks to RabbitMQ, Elasticsearch and PostgreSQL directly to publish and to check results.
 */
public final class IndexerHarness implements AutoCloseable {

    public static final JsonMapper JSON = JsonMapper.builder().build();

    public final RabbitEndpoint rabbit = RabbitService.endpoint();
    public final ElasticsearchEndpoint elasticsearch;
    public final PostgresEndpoint postgres = PostgresService.endpoint();
    public final String queue = TestNames.unique("idx_q");
    public final String schema = TestNames.unique("idx_s");
    public final List<String> indices = new ArrayList<>();
    private ConfigurableApplicationContext indexer;

    /** A harness on this run's shared search engine. */
    public IndexerHarness() {
        this(ElasticsearchService.endpoint());
    }

    /** A harness on the given Elasticsearch (a node of a test's own, secured, say). */
    public IndexerHarness(ElasticsearchEndpoint elasticsearch) {
        this.elasticsearch = elasticsearch;
        postgres.createSchema(schema);
    }

    public String index(String prefix) {
        String index = TestNames.unique(prefix);
        indices.add(index);
        return index;
    }

    /** Properties that point an indexer at this harness's broker, schema and queue; add or override freely. */
    public Map<String, String> properties() {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("server.port", "0");
        properties.putAll(RunTokens.daemonProperties());
        properties.putAll(rabbit.springProperties());
        properties.putAll(postgres.springProperties(schema));
        properties.put("dynamic-index.indexer.elasticsearch.hosts", elasticsearch.url());
        properties.put("dynamic-index.indexer.queues." + queue + ".consumers", "1");
        properties.put("dynamic-index.indexer.retry.max-backoff", "1s");
        return properties;
    }

    /** Starts an indexer with these properties, and with extra configuration classes (a test's own filter). */
    public ConfigurableApplicationContext start(Map<String, String> properties, Class<?>... extraSources) {
        indexer = new SpringApplicationBuilder(QueueIndexerApplication.class).sources(extraSources)
                .run(properties.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue())
                        .toArray(String[]::new));
        return indexer;
    }

    /** The state of the harness queue's pipeline. */
    public PipelineState state() {
        return indexer.getBean(QueueStatuses.class).of(queue).state();
    }

    /** Why the harness queue's pipeline is in its state (the worst condition reported), or null when running. */
    public String reason() {
        return indexer.getBean(QueueStatuses.class).of(queue).worst().reason();
    }

    /** The value of a gauge with these tags, or NaN when there is none. */
    public double gauge(String name, String... tags) {
        Gauge gauge = indexer.getBean(MeterRegistry.class).find(name).tags(tags).gauge();
        return gauge == null ? Double.NaN : gauge.value();
    }

    /** The HTTP status of the indexer's /actuator/health: 200 when UP, 503 when DOWN. */
    public int healthStatus() throws Exception {
        return HttpClient.newHttpClient().send(RunTokens.asViewer(URI.create(url() + "/actuator/health"))
                .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** The base URL of the running indexer's HTTP API. */
    public String url() {
        return "http://127.0.0.1:" + indexer.getEnvironment().getProperty("local.server.port");
    }

    public double counter(String name) {
        return indexer.getBean(MeterRegistry.class).find(name).counters().stream().mapToDouble(c -> c.count())
                .sum();
    }

    public void stopIndexer() {
        if (indexer != null) {
            indexer.close();
            indexer = null;
        }
    }

    public void publish(List<String> messages) throws Exception {
        try (com.rabbitmq.client.Connection connection = rabbit.connect(); Channel channel = connection.createChannel()) {
            declareIfMissing(connection);
            channel.confirmSelect();
            for (String message : messages) {
                channel.basicPublish("", queue, new AMQP.BasicProperties.Builder().deliveryMode(2).build(),
                        message.getBytes(StandardCharsets.UTF_8));
            }
            channel.waitForConfirmsOrDie(30_000);
        }
    }

    /** Creates the queue as the indexer would when a test did not declare it first (as quorum, say). */
    private void declareIfMissing(com.rabbitmq.client.Connection connection) throws Exception {
        try (Channel channel = connection.createChannel()) {
            channel.queueDeclarePassive(queue);
        } catch (java.io.IOException missing) {
            try (Channel channel = connection.createChannel()) {
                channel.queueDeclare(queue, true, false, false,
                        QueueArguments.forMissingQueue(connection.getServerProperties()));
            }
        }
    }

    /** Messages ready in the queue (not counting deliveries a consumer holds). */
    public long queueDepth() throws Exception {
        try (com.rabbitmq.client.Connection connection = rabbit.connect(); Channel channel = connection.createChannel()) {
            return channel.queueDeclarePassive(queue).getMessageCount();
        }
    }

    /** Messages acknowledged as applied or dead-lettered so far, from the indexer's own counters. */
    public double settled() {
        return counter("dynamicindex.indexer.applied") + counter("dynamicindex.indexer.dead_lettered");
    }

    /** Every document of the index, by "index/id", as field maps. */
    public Map<String, Map<String, Object>> documents(String index) {
        elasticsearch.call("POST", "/" + index + "/_refresh", null);
        String body = elasticsearch.call("GET", "/" + index + "/_search?size=10000", null).body();
        Map<String, Map<String, Object>> documents = new HashMap<>();
        for (JsonNode hit : JSON.readTree(body).path("hits").path("hits")) {
            @SuppressWarnings("unchecked")
            Map<String, Object> source = JSON.convertValue(hit.path("_source"), Map.class);
            documents.put(index + "/" + hit.path("_id").asString(), source);
        }
        return documents;
    }

    /** Every document the archive holds for the index and not as deleted, by "index/id", as field maps. */
    public Map<String, Map<String, Object>> archivedDocuments(String index) throws Exception {
        Map<String, Map<String, Object>> documents = new HashMap<>();
        try (Connection connection = postgres.connect(); java.sql.PreparedStatement statement = connection
                .prepareStatement("SELECT doc_id, document::text FROM \"" + schema + "\".archive_document "
                        + "WHERE index_name = ? AND NOT deleted")) {
            statement.setString(1, index);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> source = JSON.readValue(rows.getString(2), Map.class);
                    documents.put(index + "/" + rows.getString(1), source);
                }
            }
        }
        return documents;
    }

    /** error_type of every dead letter, in insertion order. */
    public List<String> deadLetterTypes() throws Exception {
        List<String> types = new ArrayList<>();
        try (Connection connection = postgres.connect(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT error_type FROM \"" + schema
                     + "\".dead_letter ORDER BY id")) {
            while (rows.next()) {
                types.add(rows.getString(1));
            }
        }
        return types;
    }

    @Override
    public void close() throws Exception {
        stopIndexer();
        try (com.rabbitmq.client.Connection connection = rabbit.connect(); Channel channel = connection.createChannel()) {
            channel.queueDelete(queue);
        } catch (java.io.IOException neverDeclared) {
            // brokers other than RabbitMQ refuse to delete a queue that does not exist
        }
        indices.forEach(elasticsearch::deleteIndex);
        postgres.dropSchema(schema);
    }
}
