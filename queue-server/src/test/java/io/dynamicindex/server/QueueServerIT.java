package io.dynamicindex.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.dynamicindex.common.MessageHeaders;
import io.dynamicindex.common.QueueArguments;
import io.dynamicindex.infra.RabbitEndpoint;
import io.dynamicindex.infra.RabbitService;
import io.dynamicindex.infra.TcpProxy;
import io.dynamicindex.infra.RunTokens;
import io.dynamicindex.infra.TestNames;

/** The partner API against a real broker, reached through a proxy that the test can cut. */
class QueueServerIT {

    private static final String KEY = "tshop-test-key";
    private static final String SHOP1_KEY = "shop1-test-key";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Duration AUTH_LOG_INTERVAL = Duration.ofSeconds(3);

    private static RabbitEndpoint rabbit;
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static TcpProxy proxy;
    private static ConfigurableApplicationContext server;
    private static String queue;
    private static String otherQueue;
    private static String deletedQueue;
    private static String singlesQueue;
    private static String baseUrl;

    @BeforeAll
    static void startServer() {
        rabbit = RabbitService.endpoint();
        proxy = new TcpProxy(rabbit.host(), rabbit.port());
        queue = TestNames.unique("server");
        otherQueue = TestNames.unique("server_other");
        deletedQueue = TestNames.unique("server_deleted");
        singlesQueue = TestNames.unique("server_singles");
        Map<String, Object> properties = new HashMap<>(Map.of(
                "server.port", "0",
                "management.server.port", "0",
                "spring.rabbitmq.host", "127.0.0.1",
                "spring.rabbitmq.port", String.valueOf(proxy.port()),
                "spring.rabbitmq.username", rabbit.username(),
                "spring.rabbitmq.password", rabbit.password(),
                "dynamic-index.server.allow-plain-keys", "true",
                "dynamic-index.server.max-request-size", "4KB",
                "dynamic-index.server.max-messages-per-request", "5",
                "dynamic-index.server.confirm-timeout", "2s"));
        properties.put("dynamic-index.server.auth-failure-log-interval", AUTH_LOG_INTERVAL.toMillis() + "ms");
        properties.put("dynamic-index.server.queues." + queue + ".type", "classic");
        properties.put("dynamic-index.server.queues." + otherQueue + ".type", "classic");
        properties.put("dynamic-index.server.partners.tshop.key", KEY);
        properties.put("dynamic-index.server.queues." + deletedQueue + ".type", "classic");
        properties.put("dynamic-index.server.queues." + singlesQueue + ".envelope", "false");
        properties.put("dynamic-index.server.partners.tshop.queues", queue + "," + deletedQueue + "," + singlesQueue);
        properties.put("dynamic-index.server.partners.shop1.key", SHOP1_KEY);
        properties.put("dynamic-index.server.partners.shop1.queues", queue);
        properties.put("dynamic-index.server.partners.shop1.indices", "shop1-*,shop1-alias");
        server = new SpringApplicationBuilder(QueueServerApplication.class).run(arguments(properties));
        baseUrl = "http://127.0.0.1:" + server.getEnvironment().getProperty("local.server.port");
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
        try (Connection connection = rabbit.connect(); Channel channel = connection.createChannel()) {
            channel.queueDelete(queue);
            channel.queueDelete(otherQueue);
            channel.queueDelete(deletedQueue);
            channel.queueDelete(singlesQueue);
        }
        proxy.close();
    }

    @Test
    void queuesARequestAsOneEnvelopeWithEachObjectExactlyAsSent() throws Exception {
        String first = "{\"action\":\"index\",\"id\":\"P-1\", \"doc\":{\"name\":\"caf\u00e9\"}}";
        String second = "{\"action\":\"delete\",\"id\":\"P-2\"}";
        HttpResponse<String> response = post(queue, KEY, "application/json", "[" + first + ",\n" + second + "]");

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(response.body()).contains("\"accepted\":2").contains("\"queue\":\"" + queue + "\"");
        List<GetResponse> queued = drain(queue);
        assertThat(queued).extracting(m -> new String(m.getBody(), StandardCharsets.UTF_8))
                .containsExactly("[" + first + "," + second + "]");
        assertThat(queued.get(0).getProps().getHeaders().get(MessageHeaders.CHANGES)).isEqualTo(2);
    }

    @Test
    void queuesEachObjectExactlyAsSentWhereEnvelopesAreOff() throws Exception {
        String first = "{\"action\":\"index\",\"id\":\"P-1\", \"doc\":{\"name\":\"caf\u00e9\"}}";
        String second = "{\"action\":\"delete\",\"id\":\"P-2\"}";
        HttpResponse<String> response = post(singlesQueue, KEY, "application/json", "[" + first + ",\n" + second
                + "]");

        assertThat(response.statusCode()).isEqualTo(202);
        List<GetResponse> queued = drain(singlesQueue);
        assertThat(queued).extracting(m -> new String(m.getBody(), StandardCharsets.UTF_8))
                .containsExactly(first, second);
        GetResponse message = queued.get(0);
        assertThat(message.getProps().getDeliveryMode()).isEqualTo(2);
        assertThat(message.getProps().getContentType()).isEqualTo("application/json");
        assertThat(message.getProps().getMessageId()).isNotBlank();
        assertThat(message.getProps().getTimestamp()).isNotNull();
        assertThat(message.getProps().getHeaders()).containsOnlyKeys(MessageHeaders.PARTNER, MessageHeaders.REQUEST_ID,
                MessageHeaders.CHANGES);
        assertThat(message.getProps().getHeaders().get(MessageHeaders.CHANGES)).isEqualTo(1);
        assertThat(message.getProps().getHeaders().get(MessageHeaders.PARTNER).toString()).isEqualTo("tshop");
        assertThat(message.getProps().getHeaders().get(MessageHeaders.REQUEST_ID).toString())
                .isEqualTo(response.body().replaceAll(".*\"requestId\":\"([^\"]+)\".*", "$1"));
    }

    @Test
    void acceptsNdjson() throws Exception {
        HttpResponse<String> response = post(queue, KEY, "application/x-ndjson", "{\"id\":\"a\"}\n{\"id\":\"b\"}\n");
        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(drain(queue)).extracting(m -> new String(m.getBody(), StandardCharsets.UTF_8))
                .containsExactly("[{\"id\":\"a\"},{\"id\":\"b\"}]");
    }

    @Test
    void answersEveryRefusalWithAProblemAndPublishesNothing() throws Exception {
        assertProblem(post(queue, null, "application/json", "{}"), 401);
        assertProblem(post(queue, "wrong", "application/json", "{}"), 401);
        assertProblem(post(otherQueue, KEY, "application/json", "{}"), 403);
        assertProblem(post("nope", KEY, "application/json", "{}"), 403);
        assertProblem(post(queue, KEY, "text/plain", "{}"), 415);
        HttpResponse<String> malformed = post(queue, KEY, "application/json", "[{\"id\":1},\n{\"id\":}]");
        assertProblem(malformed, 400);
        assertThat(malformed.body()).contains("line 2, column 7");
        assertProblem(post(queue, KEY, "application/json", "[{},{},{},{},{},{}]"), 413);
        assertProblem(post(queue, KEY, "application/json", "{\"big\":\"" + "x".repeat(5000) + "\"}"), 413);
        assertProblem(post(queue, KEY, "application/json", ""), 400);

        assertThat(drain(queue)).isEmpty();
    }

    @Test
    void refusesARequestWithAChangeOutsideThePartnersIndicesAndQueuesNothingOfIt() throws Exception {
        String allowed = "{\"action\":\"index\",\"index\":\"shop1-products\",\"id\":\"a\",\"doc\":{}}";
        HttpResponse<String> ndjson = post(queue, SHOP1_KEY, "application/x-ndjson", allowed + "\n\n"
                + "{\"action\":\"delete\",\"index\":\"shop1-products\",\"id\":\"b\","
                + "\"triggerDelete\":[{\"index\":\"shop1-alias\",\"id\":\"b\"},{\"index\":\"shop2-products\","
                + "\"id\":\"b\"}]}\n");
        HttpResponse<String> array = post(queue, SHOP1_KEY, "application/json", "[" + allowed + ","
                + "{\"action\":\"delete\",\"index\":\"shop2-products\",\"id\":\"x\"}]");
        HttpResponse<String> prevDelete = post(queue, SHOP1_KEY, "application/json",
                "{\"index\":\"shop1-products\",\"id\":\"c\",\"prevDelete\":[{\"index\":\"shop2\",\"id\":\"c\"}]}");

        assertProblem(ndjson, 403);
        assertThat(ndjson.body()).contains("line 3").contains("triggerDelete[1].index 'shop2-products'")
                .contains("shop1");
        assertProblem(array, 403);
        assertThat(array.body()).contains("array element 2").contains("index 'shop2-products'");
        assertProblem(prevDelete, 403);
        assertThat(prevDelete.body()).contains("prevDelete[0].index 'shop2'");
        assertThat(drain(queue)).isEmpty();

        HttpResponse<String> accepted = post(queue, SHOP1_KEY, "application/json", "[" + allowed
                + ",{\"sku\":\"partner-format-without-index\"}]");
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        assertThat(drain(queue)).hasSize(1);
    }

    @Test
    void answers403ForAQueueTheKeyDoesNotHoldWhetherItExistsOrNot() throws Exception {
        HttpResponse<String> existing = post(otherQueue, KEY, "application/json", "{}");
        HttpResponse<String> missing = post(TestNames.unique("server_missing"), KEY, "application/json", "{}");

        assertProblem(existing, 403);
        assertProblem(missing, 403);
        assertThat(missing.body()).contains("\"title\":\"Queue not allowed\"");
    }

    @Test
    void logsAtMostOneWarningPerIntervalForBadKeysAndCountsEveryOne() throws Exception {
        ch.qos.logback.classic.Logger log = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(
                "io.dynamicindex.server.api.MessagesController");
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> appender =
                new ch.qos.logback.core.read.ListAppender<>();
        appender.start();
        log.addAppender(appender);
        MeterRegistry meters = server.getBean(MeterRegistry.class);
        try {
            awaitBadKeyWarning(appender);
            appender.list.clear();
            double before = meters.counter("dynamicindex.server.auth.failed").count();
            long started = System.nanoTime();
            for (int i = 0; i < 20; i++) {
                assertProblem(post(queue, i % 2 == 0 ? null : "wrong-" + i, "application/json", "{}"), 401);
            }
            assertThat(System.nanoTime() - started).as("the flood took less than one log interval")
                    .isLessThan(AUTH_LOG_INTERVAL.toNanos());
            assertThat(badKeyWarnings(appender)).as("no WARN within the interval").isEmpty();
            assertThat(meters.counter("dynamicindex.server.auth.failed").count() - before).isEqualTo(20.0);

            awaitBadKeyWarning(appender);
            assertThat(badKeyWarnings(appender)).singleElement().asString().matches(".*\\((2\\d|[3-9]\\d) more "
                    + "refused since the last such warning.*");
        } finally {
            log.detachAppender(appender);
        }
    }

    /** Sends requests with an unknown key until one is let through the log throttle as a WARN. */
    private void awaitBadKeyWarning(ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent>
                                            appender) {
        org.awaitility.Awaitility.await().atMost(AUTH_LOG_INTERVAL.multipliedBy(2))
                .pollInterval(Duration.ofMillis(200)).until(() -> {
                    assertProblem(post(queue, "wrong", "application/json", "{}"), 401);
                    return !badKeyWarnings(appender).isEmpty();
                });
    }

    private static List<String> badKeyWarnings(
            ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> appender) {
        return appender.list.stream().map(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage)
                .filter(message -> message.contains("API key")).toList();
    }

    @Test
    void refusesAChangeNestedDeeperThanTheLimitAndQueuesNothing() throws Exception {
        HttpResponse<String> refused = post(queue, KEY, "application/x-ndjson", nested("a", 64) + "\n"
                + nested("b", 65) + "\n");

        assertProblem(refused, 400);
        assertThat(refused.body()).contains("line 2").contains("deeper than 64 levels");
        assertThat(drain(queue)).isEmpty();
        assertThat(post(queue, KEY, "application/json", nested("a", 64)).statusCode()).isEqualTo(202);
        assertThat(drain(queue)).hasSize(1);
    }

    /** A change whose own object and the objects nested in its doc make {@code depth} levels. */
    private static String nested(String id, int depth) {
        return "{\"id\":\"" + id + "\",\"doc\":" + "{\"a\":".repeat(depth - 2) + "{}" + "}".repeat(depth - 2) + "}";
    }

    @Test
    void refusesMoreDeleteTargetsThanTheLimitAndQueuesNothing() throws Exception {
        String targets = String.join(",", java.util.Collections.nCopies(101, "{\"index\":\"u\",\"id\":\"1\"}"));
        HttpResponse<String> refused = post(queue, KEY, "application/json", "[{\"id\":\"ok\"},{\"id\":\"x\","
                + "\"triggerDelete\":[" + targets + "]}]");

        assertProblem(refused, 400);
        assertThat(refused.body()).contains("array element 2").contains("triggerDelete has more than 100 entries");
        assertThat(drain(queue)).isEmpty();

        HttpResponse<String> prevRefused = post(queue, KEY, "application/x-ndjson", "{\"id\":\"ok\"}\n{\"id\":\"y\","
                + "\"prevDelete\":[" + targets + "]}\n");
        assertProblem(prevRefused, 400);
        assertThat(prevRefused.body()).contains("line 2").contains("prevDelete has more than 100 entries");
        assertThat(drain(queue)).isEmpty();

        String hundred = String.join(",", java.util.Collections.nCopies(100, "{\"index\":\"u\",\"id\":\"1\"}"));
        assertThat(post(queue, KEY, "application/json", "{\"id\":\"z\",\"prevDelete\":[" + hundred + "]}")
                .statusCode()).isEqualTo(202);
        assertThat(drain(queue)).hasSize(1);
    }

    @Test
    void refusesBodiesThatAreNotUtf8UnlessDeclaredAndConvertsADeclaredCharset() throws Exception {
        String text = "{\"id\":\"enc\",\"doc\":{\"name\":\"caf\u00e9\"}}";
        HttpResponse<String> utf16 = post(queue, KEY, "application/json", text.getBytes(StandardCharsets.UTF_16));
        HttpResponse<String> utf32 = post(queue, KEY, "application/json", text.getBytes(Charset.forName("UTF-32LE")));
        HttpResponse<String> latin1 = post(queue, KEY, "application/json", text.getBytes(StandardCharsets.ISO_8859_1));
        HttpResponse<String> wildcard = post(queue, KEY, "*/*", "{\"id\":\"w\"}");
        HttpResponse<String> anyApplication = post(queue, KEY, "application/*", "{\"id\":\"w\"}");

        for (HttpResponse<String> response : List.of(utf16, utf32, latin1, wildcard, anyApplication)) {
            assertProblem(response, 415);
        }
        assertThat(utf16.body()).contains("byte order mark");
        assertThat(utf32.body()).contains("is NUL");
        assertThat(latin1.body()).contains("invalid UTF-8 sequence");
        assertThat(drain(queue)).isEmpty();

        HttpResponse<String> declared16 = post(singlesQueue, KEY, "application/json; charset=UTF-16",
                text.getBytes(StandardCharsets.UTF_16));
        HttpResponse<String> declaredLatin1 = post(singlesQueue, KEY, "application/x-ndjson; charset=ISO-8859-1",
                text.getBytes(StandardCharsets.ISO_8859_1));
        assertThat(List.of(declared16.statusCode(), declaredLatin1.statusCode())).containsOnly(202);
        assertThat(drain(singlesQueue)).extracting(m -> m.getBody()).containsExactly(
                text.getBytes(StandardCharsets.UTF_8), text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void answers503WithinTheTimeoutWhileTheBrokerIsCutThen202WhenItReturns() throws Exception {
        proxy.cut();
        try {
            long started = System.nanoTime();
            HttpResponse<String> refused = post(queue, KEY, "application/json", "{\"id\":\"x\"}");
            assertProblem(refused, 503);
            assertThat(refused.headers().firstValue("Retry-After")).isPresent();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(4));
        } finally {
            proxy.restore();
        }
        HttpResponse<String> accepted = post(queue, KEY, "application/json", "{\"id\":\"y\"}");
        assertThat(accepted.statusCode()).isEqualTo(202);
        assertThat(drain(queue)).extracting(m -> new String(m.getBody(), StandardCharsets.UTF_8))
                .contains("{\"id\":\"y\"}");
    }

    @Test
    void everyAcceptedMessageIsQueuedWhenTheBrokerIsCutMidStream() throws Exception {
        drain(queue);
        Set<String> accepted = ConcurrentHashMap.newKeySet();
        AtomicInteger refused = new AtomicInteger();
        AtomicBoolean sending = new AtomicBoolean(true);
        ExecutorService clients = Executors.newFixedThreadPool(4);
        for (int c = 0; c < 4; c++) {
            int client = c;
            clients.submit(() -> postUntilStopped(client, sending, accepted, refused));
        }
        Thread.sleep(1_000);
        proxy.cut();
        Thread.sleep(1_500);
        proxy.restore();
        int acceptedBeforeEnd = accepted.size();
        Thread.sleep(1_500);
        sending.set(false);
        clients.shutdown();
        assertThat(clients.awaitTermination(30, TimeUnit.SECONDS)).isTrue();

        Set<String> queued = new HashSet<>();
        for (GetResponse message : drain(queue)) {
            for (JsonNode change : JSON.readTree(message.getBody())) {
                queued.add(JSON.writeValueAsString(change));
            }
        }
        assertThat(refused.get()).as("requests refused while cut").isPositive();
        assertThat(accepted.size()).as("accepted after the broker returned").isGreaterThan(acceptedBeforeEnd);
        assertThat(queued).containsAll(accepted);
    }

    /** Posts batches of five messages until stopped; records every message of a 202 and counts the refusals. */
    private static Void postUntilStopped(int client, AtomicBoolean sending, Set<String> accepted,
                                         AtomicInteger refused) throws Exception {
        for (int request = 0; sending.get(); request++) {
            List<String> messages = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                messages.add("{\"id\":\"c" + client + "-" + request + "-" + i + "\"}");
            }
            HttpResponse<String> response = post(queue, KEY, "application/json", "[" + String.join(",", messages)
                    + "]");
            if (response.statusCode() == 202) {
                accepted.addAll(messages);
            } else {
                assertProblem(response, 503);
                refused.incrementAndGet();
            }
        }
        return null;
    }

    @Test
    void answers503WhenTheBrokerReturnsTheMessagesAsUnroutable() throws Exception {
        try (Connection connection = rabbit.connect(); Channel channel = connection.createChannel()) {
            channel.queueDelete(deletedQueue);
        }

        HttpResponse<String> refused = post(deletedQueue, KEY, "application/json", "[{\"id\":\"a\"},{\"id\":\"b\"}]");

        assertProblem(refused, 503);
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
        // RabbitMQ returns an unroutable mandatory message; other brokers refuse it in their own way
        assertThat(refused.body()).contains(rabbit.isRabbitMq() ? "\"cause\":\"unroutable\"" : "\"cause\":");
        HttpResponse<String> accepted = post(queue, KEY, "application/json", "{\"id\":\"still-fine\"}");
        assertThat(accepted.statusCode()).isEqualTo(202);
        drain(queue);
    }

    @Test
    void declaresClassicSourceQueuesLazy() {
        assumeTrue(rabbit.isRabbitMq(), rabbit.rabbitMqOnly("lazy classic queues"));
        assertThat(rabbit.declaredWith(queue, QueueArguments.classicLazy())).isTrue();
        assertThat(rabbit.declaredWith(queue, Map.of())).isFalse();
    }

    @Test
    void refusesToStartWhenASourceQueueExistsWithOtherArguments() throws Exception {
        assumeTrue(rabbit.isRabbitMq(), rabbit.rabbitMqOnly("refusing a redeclaration with other arguments"));
        String existing = TestNames.unique("server_existing");
        try (Connection connection = rabbit.connect(); Channel channel = connection.createChannel()) {
            channel.queueDeclare(existing, true, false, false, null);
            try {
                assertThatThrownBy(() -> new SpringApplicationBuilder(QueueServerApplication.class).run(
                        "--server.port=0", "--management.server.port=0",
                        "--spring.rabbitmq.host=" + rabbit.host(), "--spring.rabbitmq.port=" + rabbit.port(),
                        "--spring.rabbitmq.username=" + rabbit.username(),
                        "--spring.rabbitmq.password=" + rabbit.password(),
                        "--dynamic-index.server.queues." + existing + ".type=classic"))
                        .hasStackTraceContaining("dynamic-index.server.queues.<queue>.*")
                        .hasStackTraceContaining("inequivalent arg 'x-queue-mode' for queue '" + existing + "'");
            } finally {
                channel.queueDelete(existing);
            }
        }
    }

    @Test
    void listsTheQueuesAKeyMayWriteWithTheirDepth() throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1/queues"))
                .header("X-API-Key", KEY).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"queue\":\"" + queue + "\"").doesNotContain(otherQueue);
    }

    @Test
    void carriesTheIdempotencyKeyAsTheMessageIdOfEachMessage() throws Exception {
        HttpResponse<String> single = post(queue, KEY, "application/json", "{\"id\":\"one\"}",
                Map.of("Idempotency-Key", "order-42"));
        HttpResponse<String> envelope = post(queue, KEY, "application/json", "[{\"id\":\"a\"},{\"id\":\"b\"}]",
                Map.of("Idempotency-Key", "batch-7"));
        HttpResponse<String> pair = post(singlesQueue, KEY, "application/json", "[{\"id\":\"a\"},{\"id\":\"b\"}]",
                Map.of("Idempotency-Key", "batch-8"));

        assertThat(List.of(single.statusCode(), envelope.statusCode(), pair.statusCode())).containsOnly(202);
        assertThat(drain(queue)).extracting(message -> message.getProps().getMessageId())
                .containsExactly("order-42", "batch-7");
        assertThat(drain(singlesQueue)).extracting(message -> message.getProps().getMessageId())
                .containsExactly("batch-8:0", "batch-8:1");
    }

    @Test
    void refusesAnIdempotencyKeyThatIsNotVisibleAscii() throws Exception {
        HttpResponse<String> refused = post(queue, KEY, "application/json", "{\"id\":\"one\"}",
                Map.of("Idempotency-Key", "two words"));

        assertProblem(refused, 400);
        assertThat(refused.body()).contains("Idempotency-Key");
        assertThat(drain(queue)).isEmpty();
    }

    /** Command-line arguments outrank application.properties, unlike default properties. */
    static String[] arguments(Map<String, Object> properties) {
        Map<String, Object> all = new java.util.LinkedHashMap<>(RunTokens.daemonProperties());
        all.putAll(properties);
        return all.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
    }

    private static void assertProblem(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(response.body()).contains("\"status\":" + status).contains("\"title\"").contains("\"detail\"");
    }

    private static HttpResponse<String> post(String target, String key, String type, String body) throws Exception {
        return post(target, key, type, body, Map.of());
    }

    private static HttpResponse<String> post(String target, String key, String type, byte[] body)
            throws Exception {
        return send(target, key, type, HttpRequest.BodyPublishers.ofByteArray(body), Map.of());
    }

    private static HttpResponse<String> post(String target, String key, String type, String body,
                                             Map<String, String> headers) throws Exception {
        return send(target, key, type, HttpRequest.BodyPublishers.ofString(body), headers);
    }

    private static HttpResponse<String> send(String target, String key, String type,
                                             HttpRequest.BodyPublisher body, Map<String, String> headers)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1/queues/" + target
                        + "/messages"))
                .timeout(Duration.ofSeconds(20))
                .header("Content-Type", type)
                .POST(body);
        if (key != null) {
            request.header("X-API-Key", key);
        }
        headers.forEach(request::header);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static List<GetResponse> drain(String name) throws Exception {
        List<GetResponse> messages = new ArrayList<>();
        try (Connection connection = rabbit.connect(); Channel channel = connection.createChannel()) {
            GetResponse message;
            while ((message = channel.basicGet(name, true)) != null) {
                messages.add(message);
            }
        }
        return messages;
    }
}
