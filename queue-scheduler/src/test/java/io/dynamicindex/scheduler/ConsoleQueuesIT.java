package io.dynamicindex.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.dynamicindex.infra.PostgresEndpoint;
import io.dynamicindex.infra.PostgresService;
import io.dynamicindex.infra.RabbitNode;
import io.dynamicindex.infra.RunTokens;
import io.dynamicindex.infra.TestNames;
import io.dynamicindex.scheduler.support.Schedulers;
import io.dynamicindex.scheduler.support.TestQueues;

/**
 * The console's queue figures against a RabbitMQ node of the test's own with the management plugin: depth and
 * consumers from the management HTTP API when it is configured, from AMQP passive declares when it is not, and a
 * management address that answers garbage shows as unavailable within the console's timeout instead of hanging.
 */
class ConsoleQueuesIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void showsEachRoutesQueuesFromTheManagementApiOrByPassiveDeclare() throws Exception {
        assumeTrue(RabbitNode.availability() == null, RabbitNode.availability());
        PostgresEndpoint postgres = PostgresService.endpoint();
        String schema = TestNames.unique("console");
        postgres.createSchema(schema);
        try (RabbitNode node = RabbitNode.startWithManagement(); TestQueues queues = new TestQueues(node.endpoint())) {
            awaitManagementApi(node.managementUrl());
            String source = queues.declare("console_src");
            String target = queues.declare("console_idx");
            queues.fill(source, 7);
            Map<String, String> infrastructure = Schedulers.infrastructure(node.endpoint(), postgres, schema);
            Map<String, String> route = Schedulers.route("daily", source, target, "0 0 3 * * *", 100);

            assertFigures(infrastructure, route, Map.of("dynamic-index.console.rabbitmq-management",
                    node.managementUrl()), source, "management-api");
            assertFigures(infrastructure, route, Map.of(), source, "amqp");
            assertUnavailableInTime(infrastructure, route, "http://127.0.0.1:" + node.endpoint().port());
        } finally {
            postgres.dropSchema(schema);
        }
    }

    private static void assertFigures(Map<String, String> infrastructure, Map<String, String> route,
                                      Map<String, String> console, String source, String from) {
        try (ConfigurableApplicationContext scheduler = Schedulers.startInJvm(infrastructure, route, console)) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                JsonNode figures = sourceFigures(scheduler, source);
                assertThat(figures.path("from").asString()).isEqualTo(from);
                assertThat(figures.path("messages").asLong()).isEqualTo(7);
                assertThat(figures.path("consumers").asLong()).isZero();
            });
        }
    }

    private static void assertUnavailableInTime(Map<String, String> infrastructure, Map<String, String> route,
                                                String garbage) throws Exception {
        Map<String, String> console = Map.of("dynamic-index.console.rabbitmq-management", garbage,
                "dynamic-index.console.timeout", "2s");
        try (ConfigurableApplicationContext scheduler = Schedulers.startInJvm(infrastructure, route, console)) {
            long started = System.nanoTime();
            JsonNode figures = sourceFigures(scheduler, route.values().stream()
                    .filter(value -> value.startsWith("console_src")).findFirst().orElseThrow());
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
            assertThat(figures.path("from").asString()).startsWith("unavailable");
            assertThat(figures.path("messages").isNull()).isTrue();
        }
    }

    private static JsonNode sourceFigures(ConfigurableApplicationContext scheduler, String source) throws Exception {
        String url = "http://127.0.0.1:" + scheduler.getEnvironment().getProperty("local.server.port")
                + "/api/v1/queues";
        HttpResponse<String> response = HTTP.send(RunTokens.asViewer(URI.create(url))
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        for (JsonNode queue : JSON.readTree(response.body())) {
            if (queue.path("queue").asString().equals(source)) {
                return queue;
            }
        }
        throw new AssertionError(source + " is not among " + response.body());
    }

    private static void awaitManagementApi(String url) {
        String credentials = Base64.getEncoder().encodeToString("guest:guest".getBytes(StandardCharsets.UTF_8));
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> HTTP.send(HttpRequest.newBuilder(
                URI.create(url + "/api/overview")).header("Authorization", "Basic " + credentials).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode() == 200);
    }
}
