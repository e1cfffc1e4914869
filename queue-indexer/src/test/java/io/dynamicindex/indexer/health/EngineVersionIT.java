package io.dynamicindex.indexer.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import io.dynamicindex.indexer.IndexerHarness;
import io.dynamicindex.infra.RunTokens;
import io.dynamicindex.infra.TcpProxy;

/**
 * The indexer reads which engine it writes to: the running node's distribution and version show in the health
 * component {@code elasticsearch} and the status API, an engine unreachable at startup is read once it answers, and
 * an engine the indexer does not support stops startup.
 */
@Tag("compat")
class EngineVersionIT {

    @Test
    void reportsTheRunningEnginesDistributionAndVersion() throws Exception {
        try (IndexerHarness harness = new IndexerHarness()) {
            String running = harness.elasticsearch.describe();
            harness.start(harness.properties());

            JsonNode health = elasticsearchHealth(harness);
            assertThat(health.path("status").asString()).isEqualTo("UP");
            assertThat(engineOf(health.path("details"))).isEqualTo(running);
            assertThat(engineOf(get(harness, "/api/v1/status").path("engine"))).isEqualTo(running);
        }
    }

    @Test
    void startsWhileTheEngineIsUnreachableAndReadsItOnceItAnswers() throws Exception {
        try (IndexerHarness harness = new IndexerHarness()) {
            URI elasticsearch = URI.create(harness.elasticsearch.url());
            try (TcpProxy proxy = new TcpProxy(elasticsearch.getHost(), elasticsearch.getPort())) {
                proxy.cut();
                Map<String, String> properties = harness.properties();
                properties.put("dynamic-index.indexer.elasticsearch.hosts", "http://127.0.0.1:" + proxy.port());
                harness.start(properties);

                JsonNode details = elasticsearchHealth(harness).path("details");
                assertThat(details.has("version")).isFalse();
                assertThat(details.path("engineProblem").asString()).startsWith("no answer to read the version");

                proxy.restore();
                String running = harness.elasticsearch.describe();
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> running.equals(engineOf(elasticsearchHealth(harness).path("details"))));
                assertThat(elasticsearchHealth(harness).path("details").has("engineProblem")).isFalse();
            }
        }
    }

    @Test
    void refusesToStartOnElasticsearch68NamingTheVersionAndTheSupportedOnes() throws Exception {
        HttpServer elasticsearch68 = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        elasticsearch68.createContext("/", exchange -> {
            byte[] body = ("{\"name\":\"old\",\"version\":{\"number\":\"6.8.23\",\"build_flavor\":\"default\"},"
                    + "\"tagline\":\"You Know, for Search\"}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        elasticsearch68.start();
        try (IndexerHarness harness = new IndexerHarness()) {
            String url = "http://127.0.0.1:" + elasticsearch68.getAddress().getPort();
            Map<String, String> properties = harness.properties();
            properties.put("dynamic-index.indexer.elasticsearch.hosts", url);

            assertThatThrownBy(() -> harness.start(properties)).rootCause()
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("Elasticsearch 6.8.23 at [" + url + "] is not supported: the indexer supports "
                            + "Elasticsearch 7.10 and later 7.x, and 8.x; OpenSearch 2.x. Upgrade the "
                            + "engine, or point dynamic-index.indexer.elasticsearch.hosts at a supported one");
        } finally {
            elasticsearch68.stop(0);
        }
    }

    /** "Elasticsearch 8.19.8", as {@code ElasticsearchEndpoint.describe()} names the running node. */
    private static String engineOf(JsonNode node) {
        return node.path("distribution").asString("") + " " + node.path("version").asString("");
    }

    private static JsonNode elasticsearchHealth(IndexerHarness harness) throws Exception {
        return get(harness, "/actuator/health").path("components").path("elasticsearch");
    }

    private static JsonNode get(IndexerHarness harness, String path) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(RunTokens.asViewer(
                URI.create(harness.url() + path)).build(), HttpResponse.BodyHandlers.ofString());
        return IndexerHarness.JSON.readTree(response.body());
    }
}
