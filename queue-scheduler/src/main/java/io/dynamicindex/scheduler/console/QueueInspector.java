package io.dynamicindex.scheduler.console;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeoutException;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.dynamicindex.scheduler.config.Route;
import io.dynamicindex.scheduler.config.SchedulerPlan;
import io.dynamicindex.scheduler.config.SchedulerProperties.Broker;
import io.dynamicindex.scheduler.move.BrokerConnection;

/**
 * Reads each route's two queues for the console: from RabbitMQ's management HTTP API when configured (depth, rates,
 * consumers), by AMQP passive declare otherwise (depth, consumers), on connections of its own so that the console
 * never waits on a tick's channel. Every call is bounded by the console timeout; a queue that cannot be read shows
 * the reason instead of figures. Owns its two broker connections and closes them with {@link #close()}.
 */
public final class QueueInspector implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final ConsoleProperties console;
    private final Broker sourceBroker;
    private final BrokerConnection source;
    private final BrokerConnection target;
    private final HttpClient http;

    public QueueInspector(ConsoleProperties console, SchedulerPlan plan) {
        this.console = console;
        this.sourceBroker = plan.source();
        this.source = new BrokerConnection(plan.source(), "queue-scheduler-console-source", console.timeout());
        this.target = new BrokerConnection(plan.target(), "queue-scheduler-console-target", console.timeout());
        this.http = HttpClient.newBuilder().connectTimeout(console.timeout()).build();
    }

    public List<QueueFigures> figures(List<Route> routes) {
        List<QueueFigures> figures = new ArrayList<>();
        for (Route route : routes) {
            figures.add(figures(route.name(), "source", route.source(), source));
            figures.add(figures(route.name(), "target", route.target(), target));
        }
        return figures;
    }

    private QueueFigures figures(String route, String role, String queue, BrokerConnection broker) {
        try {
            return console.rabbitmqManagement() == null ? passive(route, role, queue, broker)
                    : managementApi(route, role, queue);
        } catch (IOException | TimeoutException | RuntimeException e) {
            return new QueueFigures(route, role, queue, null, null, null, null, "unavailable: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new QueueFigures(route, role, queue, null, null, null, null, "interrupted");
        }
    }

    private static QueueFigures passive(String route, String role, String queue, BrokerConnection broker)
            throws IOException, TimeoutException {
        Channel channel = broker.openChannel();
        try {
            AMQP.Queue.DeclareOk ok = channel.queueDeclarePassive(queue);
            return new QueueFigures(route, role, queue, (long) ok.getMessageCount(), (long) ok.getConsumerCount(),
                    null, null, "amqp");
        } finally {
            if (channel.isOpen()) {
                channel.abort();
            }
        }
    }

    private QueueFigures managementApi(String route, String role, String queue)
            throws IOException, InterruptedException {
        URI uri = console.rabbitmqManagement().resolve("/api/queues/" + encode(sourceBroker.virtualHost()) + "/"
                + encode(queue));
        String credentials = sourceBroker.username() + ":" + sourceBroker.password();
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(console.timeout())
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        credentials.getBytes(StandardCharsets.UTF_8))).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("the management API answered " + response.statusCode() + " for " + queue);
        }
        JsonNode body = JSON.readTree(response.body());
        JsonNode stats = body.path("message_stats");
        return new QueueFigures(route, role, queue, body.path("messages_ready").asLong(),
                body.path("consumers").asLong(), stats.path("publish_details").path("rate").asDouble(),
                stats.path("deliver_get_details").path("rate").asDouble(), "management-api");
    }

    private static String encode(String part) {
        return URLEncoder.encode(part, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Override
    public void close() {
        source.close();
        target.close();
    }
}
