package io.dynamicindex.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.dynamicindex.infra.DaemonProcess;
import io.dynamicindex.infra.ElasticsearchEndpoint;
import io.dynamicindex.infra.ElasticsearchService;
import io.dynamicindex.infra.PostgresEndpoint;
import io.dynamicindex.infra.PostgresService;
import io.dynamicindex.infra.RabbitEndpoint;
import io.dynamicindex.infra.RabbitService;
import io.dynamicindex.infra.TestNames;

/**
 * The three daemons together, each from its runnable jar in its own JVM: HTTP in, Elasticsearch out, over real
 * RabbitMQ, Elasticsearch and PostgreSQL.
 */
@Tag("compat")
class PipelineIT {

    private static final String KEY = "e2e-key";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final RabbitEndpoint rabbit = RabbitService.endpoint();
    private final ElasticsearchEndpoint elasticsearch = ElasticsearchService.endpoint();
    private final PostgresEndpoint postgres = PostgresService.endpoint();
    private final String source = TestNames.unique("e2e_src");
    private final String target = TestNames.unique("e2e_idx");
    private final String index = TestNames.unique("e2e_products");
    private final String schema = TestNames.unique("e2e");
    private final List<DaemonProcess> daemons = new ArrayList<>();

    @BeforeEach
    void startDaemons() {
        postgres.createSchema(schema);
        daemons.add(start("queue-indexer", indexerProperties(), 0));
        daemons.add(start("queue-scheduler", schedulerProperties(), 0));
        int managementPort = io.dynamicindex.infra.Ports.free();
        Map<String, String> server = serverProperties();
        server.put("management.server.port", String.valueOf(managementPort));
        daemons.add(start("queue-server", server, managementPort));
    }

    @AfterEach
    void stopDaemons() throws Exception {
        for (int i = daemons.size() - 1; i >= 0; i--) {
            daemons.get(i).stop();
        }
        try (Connection connection = rabbit.connect(); Channel channel = connection.createChannel()) {
            channel.queueDelete(source);
            channel.queueDelete(target);
        }
        elasticsearch.deleteIndex(index);
        postgres.dropSchema(schema);
    }

    @Test
    void everyPostedMessageEndsUpInElasticsearchWithItsContent() throws Exception {
        Map<String, String> posted = new LinkedHashMap<>();
        for (int request = 0; request < 10; request++) {
            StringBuilder ndjson = new StringBuilder();
            for (int i = 0; i < 100; i++) {
                String id = "P-" + (request * 100 + i);
                String doc = "{\"name\":\"product " + id + "\",\"price\":" + (1000 + request * 100 + i)
                        + ",\"shop\":\"TSHOP\"}";
                posted.put(id, doc);
                ndjson.append("{\"action\":\"index\",\"index\":\"").append(index).append("\",\"id\":\"").append(id)
                        .append("\",\"doc\":").append(doc).append("}\n");
            }
            HttpResponse<String> response = post(ndjson.toString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        }

        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                .until(() -> elasticsearch.count(index) == 1000);
        assertThat(indexedSources()).isEqualTo(posted);
    }

    private Map<String, String> indexedSources() {
        HttpResponse<String> response = elasticsearch.call("GET", "/" + index + "/_search?size=1000", null);
        Map<String, String> sources = new HashMap<>();
        for (JsonNode hit : JSON.readTree(response.body()).path("hits").path("hits")) {
            sources.put(hit.path("_id").asString(), JSON.writeValueAsString(hit.path("_source")));
        }
        return sources;
    }

    private HttpResponse<String> post(String ndjson) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(daemons.get(2).url() + "/api/v1/queues/"
                        + source + "/messages"))
                .header("X-API-Key", KEY).header("Content-Type", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofString(ndjson)).build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }

    private Map<String, String> serverProperties() {
        Map<String, String> properties = new LinkedHashMap<>(rabbit.springProperties());
        properties.put("dynamic-index.server.allow-plain-keys", "true");
        properties.put("dynamic-index.server.queues." + source + ".type", "classic");
        properties.put("dynamic-index.server.partners.e2e.key", KEY);
        properties.put("dynamic-index.server.partners.e2e.queues", source);
        return properties;
    }

    private Map<String, String> schedulerProperties() {
        Map<String, String> properties = new LinkedHashMap<>(postgres.springProperties(schema));
        properties.putAll(rabbit.schedulerProperties());
        properties.put("dynamic-index.scheduler.routes.e2e.source", source);
        properties.put("dynamic-index.scheduler.routes.e2e.target", target);
        properties.put("dynamic-index.scheduler.routes.e2e.cron", "*/1 * * * * *");
        properties.put("dynamic-index.scheduler.routes.e2e.messages-per-tick", "300");
        return properties;
    }

    private Map<String, String> indexerProperties() {
        Map<String, String> properties = new LinkedHashMap<>(rabbit.springProperties());
        properties.putAll(postgres.springProperties(schema));
        properties.put("dynamic-index.indexer.elasticsearch.hosts", elasticsearch.url());
        properties.put("dynamic-index.indexer.queues." + target + ".consumers", "1");
        return properties;
    }

    private static DaemonProcess start(String module, Map<String, String> properties, int healthPort) {
        return DaemonProcess.start(Path.of(".."), module, properties, healthPort,
                Path.of("target", "daemons", module + ".log"));
    }
}
