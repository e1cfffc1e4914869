package io.dynamicindex.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import io.dynamicindex.infra.RabbitEndpoint;
import io.dynamicindex.infra.RabbitService;
import io.dynamicindex.infra.TestNames;

/**
 * Slow or hostile clients cannot hold the partner API: a client that stalls in its body is cut after the connection
 * timeout, so stalled clients as many as the request threads still leave room for a real partner, and a refused
 * request's body is not swallowed for megabytes.
 */
class SlowClientIT {

    private static final String KEY = "slow-key";
    private static final int REQUEST_THREADS = 4;

    private static ConfigurableApplicationContext server;
    private static RabbitEndpoint rabbit;
    private static String queue;
    private static int port;

    @BeforeAll
    static void start() {
        rabbit = RabbitService.endpoint();
        queue = TestNames.unique("server_slow");
        Map<String, Object> properties = new HashMap<>(Map.of(
                "server.port", "0",
                "management.server.port", "0",
                "server.tomcat.threads.max", String.valueOf(REQUEST_THREADS),
                "server.tomcat.connection-timeout", "2s",
                "spring.rabbitmq.host", rabbit.host(),
                "spring.rabbitmq.port", String.valueOf(rabbit.port()),
                "spring.rabbitmq.username", rabbit.username(),
                "spring.rabbitmq.password", rabbit.password(),
                "dynamic-index.server.allow-plain-keys", "true"));
        properties.put("dynamic-index.server.queues." + queue + ".type", "classic");
        properties.put("dynamic-index.server.partners.tshop.key", KEY);
        properties.put("dynamic-index.server.partners.tshop.queues", queue);
        server = new SpringApplicationBuilder(QueueServerApplication.class).run(QueueServerIT.arguments(properties));
        port = Integer.parseInt(server.getEnvironment().getProperty("local.server.port"));
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        try (Connection connection = rabbit.connect(); Channel channel = connection.createChannel()) {
            channel.queueDelete(queue);
        }
    }

    @Test
    void clientsStalledInTheirBodyAreCutAndAPartnerStillGetsThrough() throws Exception {
        List<Socket> stalled = new ArrayList<>();
        for (int i = 0; i < REQUEST_THREADS * 2; i++) {
            Socket socket = new Socket("127.0.0.1", port);
            write(socket, headers(KEY, 1000) + "[{\"id\":\"part");
            stalled.add(socket);
        }
        long started = System.nanoTime();

        HttpResponse<String> partner = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                        "http://127.0.0.1:" + port + "/api/v1/queues/" + queue + "/messages"))
                .timeout(Duration.ofSeconds(20)).header("Content-Type", "application/json").header("X-API-Key", KEY)
                .POST(HttpRequest.BodyPublishers.ofString("{\"id\":\"real\"}")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(partner.statusCode()).isEqualTo(202);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
        for (Socket socket : stalled) {
            assertThat(closedByServerWithin(socket, Duration.ofSeconds(10))).isTrue();
            socket.close();
        }
    }

    @Test
    void aRefusedRequestsBodyIsNotSwallowed() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            write(socket, headers("wrong-key", 1_000_000) + " ".repeat(100_000));
            long sent = System.nanoTime();

            String answer = new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);

            assertThat(answer).isEqualTo("HTTP/1.1 401");
            // past 64KB of the refused body (max-swallow-size) the server stops reading and closes, at once; it does
            // not wait for the rest of the megabyte until the connection timeout
            assertThat(closedByServerWithin(socket, Duration.ofSeconds(1))).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - sent)).isLessThan(Duration.ofMillis(1500));
        }
    }

    private static String headers(String key, int contentLength) {
        return "POST /api/v1/queues/" + queue + "/messages HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Content-Type: application/json\r\nX-API-Key: " + key + "\r\nContent-Length: " + contentLength
                + "\r\n\r\n";
    }

    private static void write(Socket socket, String text) throws IOException {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
    }

    /** Whether the server closes (or answers and closes) the connection within the time. */
    private static boolean closedByServerWithin(Socket socket, Duration time) throws IOException {
        socket.setSoTimeout((int) time.toMillis());
        InputStream in = socket.getInputStream();
        try {
            while (in.read() != -1) {
                // an error answer may come first; the end of the stream is what counts
            }
            return true;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }
}
