package io.dynamicindex.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import io.dynamicindex.common.QueueArguments;
import io.dynamicindex.infra.RabbitEndpoint;
import io.dynamicindex.infra.RabbitService;
import io.dynamicindex.infra.TestNames;
import io.dynamicindex.infra.RunTokens;

/**
 * A quorum source queue as the server declares it: an explicit delivery limit and a parking queue. A message that a
 * consumer keeps returning ends in the parking queue instead of being dropped, shows in the parked count, and an
 * operator moves it back through the management port.
 */
class QuorumQueueIT {

    private static final String KEY = "quorum-key";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void parksAMessageOverItsDeliveryLimitAndMovesItBackOnRequest() throws Exception {
        RabbitEndpoint rabbit = RabbitService.endpoint();
        assumeTrue(rabbit.isRabbitMq(), rabbit.rabbitMqOnly("quorum queues with delivery limits"));
        String queue = TestNames.unique("server_quorum");
        try (ConfigurableApplicationContext server = start(rabbit, queue);
             Connection connection = rabbit.connect(); Channel channel = connection.createChannel()) {
            String api = "http://127.0.0.1:" + server.getEnvironment().getProperty("local.server.port");
            String management = "http://127.0.0.1:" + server.getEnvironment().getProperty("local.management.port");
            try {
                assertThat(send("POST", api + "/api/v1/queues/" + queue + "/messages", "{\"id\":\"poison\"}", KEY)
                        .statusCode()).isEqualTo(202);
                String parking = QueueArguments.parkingQueue(queue);
                await().atMost(Duration.ofSeconds(30)).until(() -> {
                    GetResponse delivery = channel.basicGet(queue, false);
                    if (delivery != null) {
                        channel.basicNack(delivery.getEnvelope().getDeliveryTag(), false, true);
                    }
                    return channel.queueDeclarePassive(parking).getMessageCount() == 1;
                });
                assertThat(channel.queueDeclarePassive(queue).getMessageCount()).isZero();
                assertThat(send("GET", management + "/actuator/parked", null, null).body())
                        .isEqualTo("{\"" + queue + "\":1}");

                HttpResponse<String> moved = send("POST", management + "/actuator/parked/" + queue, "{}", null);

                assertThat(moved.body()).contains("\"moved\":1");
                GetResponse back = channel.basicGet(queue, true);
                assertThat(new String(back.getBody(), StandardCharsets.UTF_8)).isEqualTo("{\"id\":\"poison\"}");
                assertThat(channel.queueDeclarePassive(parking).getMessageCount()).isZero();
            } finally {
                channel.queueDelete(queue);
                channel.queueDelete(QueueArguments.parkingQueue(queue));
            }
        }
    }

    private static ConfigurableApplicationContext start(RabbitEndpoint rabbit, String queue) {
        Map<String, Object> properties = new HashMap<>(Map.of(
                "server.port", "0",
                "management.server.port", "0",
                "spring.rabbitmq.host", rabbit.host(),
                "spring.rabbitmq.port", String.valueOf(rabbit.port()),
                "spring.rabbitmq.username", rabbit.username(),
                "spring.rabbitmq.password", rabbit.password(),
                "dynamic-index.server.allow-plain-keys", "true"));
        properties.put("dynamic-index.server.queues." + queue + ".type", "quorum");
        properties.put("dynamic-index.server.queues." + queue + ".delivery-limit", "2");
        properties.put("dynamic-index.server.partners.tshop.key", KEY);
        properties.put("dynamic-index.server.partners.tshop.queues", queue);
        return new SpringApplicationBuilder(QueueServerApplication.class).run(QueueServerIT.arguments(properties));
    }

    private static HttpResponse<String> send(String method, String url, String body, String key) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            request.header("X-API-Key", key);
        } else {
            request.header("Authorization", "Bearer " + RunTokens.operator());
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
