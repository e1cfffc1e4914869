package io.dynamicindex.outbox.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import io.dynamicindex.infra.DaemonProcess;
import io.dynamicindex.infra.PostgresEndpoint;
import io.dynamicindex.infra.PostgresService;
import io.dynamicindex.infra.RabbitEndpoint;
import io.dynamicindex.infra.RabbitService;
import io.dynamicindex.infra.RunTokens;
import io.dynamicindex.infra.TestNames;
import io.dynamicindex.outbox.OutboxRelayApplication;

/**
 * A PostgreSQL schema and a source queue of a test's own, relays against them (in this JVM or as processes from the
 * runnable jar), producers that insert into the outbox, and a reader of what reached the queue. Closing it drops both.
 */
public final class RelayHarness implements AutoCloseable {

    private final PostgresEndpoint postgres = PostgresService.endpoint();
    private final RabbitEndpoint rabbit;
    private final String schema = TestNames.unique("outbox");
    private final String queue = TestNames.unique("outbox_q");
    private final com.rabbitmq.client.Connection amqp;
    private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();
    private final List<DaemonProcess> processes = new ArrayList<>();

    public RelayHarness() {
        this(RabbitService.endpoint());
    }

    /** With a broker of the test's own, such as a {@link io.dynamicindex.infra.RabbitNode}'s. */
    public RelayHarness(RabbitEndpoint rabbit) {
        this.rabbit = rabbit;
        postgres.createSchema(schema);
        amqp = rabbit.connect();
    }

    public String queue() {
        return queue;
    }

    /** The relay's properties for this schema and queue, with short times for tests; later maps win. */
    @SafeVarargs
    public final Map<String, String> properties(Map<String, String>... overrides) {
        Map<String, String> properties = new LinkedHashMap<>(postgres.springProperties(schema));
        properties.putAll(rabbit.springProperties());
        properties.put("dynamic-index.outbox.queues." + queue + ".lazy", "true");
        properties.put("dynamic-index.outbox.poll-interval", "20ms");
        properties.put("dynamic-index.outbox.batch-size", "100");
        properties.put("dynamic-index.outbox.lease", "3s");
        properties.put("dynamic-index.outbox.confirm-timeout", "2s");
        properties.put("dynamic-index.outbox.backoff.max", "500ms");
        properties.put("spring.rabbitmq.requested-heartbeat", "2s");
        for (Map<String, String> override : overrides) {
            properties.putAll(override);
        }
        return properties;
    }

    /** A relay in this JVM on a free port. */
    @SafeVarargs
    public final ConfigurableApplicationContext startInJvm(Map<String, String>... overrides) {
        List<String> args = new ArrayList<>(List.of("--server.port=0"));
        RunTokens.daemonProperties().forEach((key, value) -> args.add("--" + key + "=" + value));
        properties(overrides).forEach((key, value) -> args.add("--" + key + "=" + value));
        ConfigurableApplicationContext context = new SpringApplicationBuilder(OutboxRelayApplication.class)
                .run(args.toArray(String[]::new));
        contexts.add(context);
        return context;
    }

    /** A relay as its own JVM from target/*-exec.jar. */
    @SafeVarargs
    public final DaemonProcess startProcess(String logName, Map<String, String>... overrides) {
        DaemonProcess process = DaemonProcess.start(Path.of(".."), "outbox-relay", properties(overrides), 0,
                Path.of("target", "daemons", logName + ".log"));
        processes.add(process);
        return process;
    }

    /** A connection whose statements address this test's schema; the caller closes it. */
    public Connection database() throws SQLException {
        Connection connection = postgres.connect();
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET search_path TO \"" + schema + "\"");
        }
        return connection;
    }

    /** Inserts rows in one transaction: document keys doc-0 .. doc-(documents-1) in turn, payload seq = row number. */
    public void insert(int rows, int documents) throws SQLException {
        try (Connection connection = database(); PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO outbox (queue, partner, document_key, payload) SELECT ?, 'test', 'doc-' || (n % ?), "
                        + "jsonb_build_object('action', 'index', 'index', 'products', 'id', 'doc-' || (n % ?), "
                        + "'doc', jsonb_build_object('seq', n)) FROM generate_series(1, ?) n")) {
            insert.setString(1, queue);
            insert.setInt(2, documents);
            insert.setInt(3, documents);
            insert.setInt(4, rows);
            insert.executeUpdate();
        }
    }

    /** Messages ready in the queue. */
    public long depth() throws IOException {
        try (Channel channel = amqp.createChannel()) {
            return channel.queueDeclarePassive(queue).getMessageCount();
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IOException(e);
        }
    }

    /** Takes every message out of the queue, in queue order. */
    public List<Published> drain() throws IOException {
        List<Published> messages = new ArrayList<>();
        try (Channel channel = amqp.createChannel()) {
            GetResponse response;
            while ((response = channel.basicGet(queue, true)) != null) {
                messages.add(Published.of(response.getProps().getMessageId(), response.getProps().getAppId(),
                        response.getProps().getHeaders(), new String(response.getBody(), StandardCharsets.UTF_8)));
            }
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IOException(e);
        }
        return messages;
    }

    @Override
    public void close() throws Exception {
        contexts.forEach(ConfigurableApplicationContext::close);
        processes.forEach(DaemonProcess::close);
        try (Channel channel = amqp.createChannel()) {
            channel.queueDelete(queue);
        } finally {
            amqp.close();
            postgres.dropSchema(schema);
        }
    }
}
