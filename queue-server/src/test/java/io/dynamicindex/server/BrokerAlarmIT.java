package io.dynamicindex.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.json.JsonMapper;

import io.dynamicindex.infra.RabbitEndpoint;
import io.dynamicindex.infra.RabbitNode;
import io.dynamicindex.infra.RunTokens;

/**
 * A memory alarm on a RabbitMQ node of the test's own: the broker blocks publishing connections. The queue server
 * answers 503 with cause "alarm" within its confirm timeout (at once once it knows), never hangs a request thread,
 * reports the alarm in its health, and accepts again when the alarm clears; every accepted message is in the queue.
 */
class BrokerAlarmIT {

    private static final String KEY = "alarm-key";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void answers503DuringAMemoryAlarmAndAcceptsAgainAfterIt() throws Exception {
        assumeTrue(RabbitNode.availability() == null, RabbitNode.availability());
        try (RabbitNode node = RabbitNode.start()) {
            RabbitEndpoint rabbit = node.endpoint();
            String queue = "alarm_q";
            try (ConfigurableApplicationContext server = start(rabbit, queue)) {
                String api = "http://127.0.0.1:" + server.getEnvironment().getProperty("local.server.port");
                String health = "http://127.0.0.1:" + server.getEnvironment().getProperty("local.management.port")
                        + "/actuator/health";
                assertThat(post(api, queue, "{\"id\":\"before\"}").statusCode()).isEqualTo(202);

                node.raiseMemoryAlarm();
                List<CompletableFuture<HttpResponse<String>>> during = new ArrayList<>();
                long started = System.nanoTime();
                for (int i = 0; i < 8; i++) {
                    during.add(postAsync(api, queue, "{\"id\":\"during-" + i + "\"}"));
                }
                for (CompletableFuture<HttpResponse<String>> answer : during) {
                    assertThat(answer.get().statusCode()).isEqualTo(503);
                    assertThat(answer.get().headers().firstValue("Retry-After")).isPresent();
                }
                assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
                HttpResponse<String> known = post(api, queue, "{\"id\":\"known\"}");
                assertThat(known.statusCode()).isEqualTo(503);
                assertThat(known.body()).contains("\"cause\":\"alarm\"");
                assertThat(JSON.readTree(get(health).body()).path("components").path("brokerAlarm")
                        .path("status").asString()).isEqualTo("DOWN");

                node.clearAlarm();
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> post(api, queue, "{\"id\":\"after\"}").statusCode() == 202);
                assertThat(get(health).statusCode()).isEqualTo(200);
            }
            try (Connection connection = rabbit.connect(); Channel channel = connection.createChannel()) {
                assertThat(channel.queueDeclarePassive(queue).getMessageCount()).isGreaterThanOrEqualTo(2);
            }
        }
    }

    private static ConfigurableApplicationContext start(RabbitEndpoint rabbit, String queue) {
        Map<String, Object> properties = new HashMap<>(Map.of(
                "server.port", "0",
                "management.server.port", "0",
                "management.endpoint.health.show-details", "always",
                "spring.rabbitmq.host", rabbit.host(),
                "spring.rabbitmq.port", String.valueOf(rabbit.port()),
                "dynamic-index.server.allow-plain-keys", "true",
                "dynamic-index.server.confirm-timeout", "3s"));
        properties.put("dynamic-index.server.queues." + queue + ".type", "classic");
        properties.put("dynamic-index.server.partners.tshop.key", KEY);
        properties.put("dynamic-index.server.partners.tshop.queues", queue);
        return new SpringApplicationBuilder(QueueServerApplication.class).run(QueueServerIT.arguments(properties));
    }

    private static HttpResponse<String> post(String api, String queue, String body) throws Exception {
        return postAsync(api, queue, body).get();
    }

    private static CompletableFuture<HttpResponse<String>> postAsync(String api, String queue, String body) {
        return HTTP.sendAsync(HttpRequest.newBuilder(URI.create(api + "/api/v1/queues/" + queue + "/messages"))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json").header("X-API-Key", KEY)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return HTTP.send(RunTokens.asViewer(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
