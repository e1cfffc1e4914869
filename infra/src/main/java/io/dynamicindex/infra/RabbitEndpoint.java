package io.dynamicindex.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.concurrent.TimeoutException;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;

import io.dynamicindex.common.QueueArguments;

/**
 * Where a RabbitMQ-compatible broker answers, and how it was found.
 *
 * @param origin human-readable: "environment DI_RABBIT_URI", "local service", "Testcontainers" or "embedded Qpid"
 */
public record RabbitEndpoint(String host, int port, String username, String password, String origin) {

    static RabbitEndpoint fromUri(String uri, String origin) {
        URI parsed = URI.create(uri);
        String[] credentials = parsed.getUserInfo() == null ? new String[] {"guest", "guest"}
                : parsed.getUserInfo().split(":", 2);
        int port = parsed.getPort() < 0 ? 5672 : parsed.getPort();
        return new RabbitEndpoint(parsed.getHost(), port, credentials[0], credentials[1], origin);
    }

    /** A fresh amqp-client factory for this broker. */
    public ConnectionFactory connectionFactory() {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(host);
        factory.setPort(port);
        factory.setUsername(username);
        factory.setPassword(password);
        factory.setAutomaticRecoveryEnabled(false);
        factory.setConnectionTimeout(5_000);
        return factory;
    }

    /** Opens a new connection; the caller closes it. */
    public Connection connect() {
        try {
            return connectionFactory().newConnection("dynamic-index-test");
        } catch (IOException | TimeoutException e) {
            throw new IllegalStateException("cannot connect to RabbitMQ at " + host + ":" + port + " (" + origin + ")", e);
        }
    }

    /**
     * Whether the durable queue exists with exactly these arguments: RabbitMQ refuses (406) a redeclaration whose
     * arguments differ from the queue's.
     */
    public boolean declaredWith(String queue, java.util.Map<String, Object> arguments) {
        try (Connection connection = connect()) {
            connection.createChannel().queueDeclare(queue, true, false, false, arguments);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Whether the broker says it is RabbitMQ, and not another AMQP 0-9-1 broker such as the embedded Qpid. */
    public boolean isRabbitMq() {
        try (Connection connection = connect()) {
            return QueueArguments.isRabbitMq(connection.getServerProperties());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The reason a test that asserts RabbitMQ-only behaviour gives when it is skipped on another broker, for
     * {@code Assumptions.assumeTrue(rabbit.isRabbitMq(), rabbit.rabbitMqOnly("lazy queues"))}.
     */
    public String rabbitMqOnly(String behaviour) {
        return "RabbitMQ-only (" + behaviour + "): this run's broker is " + origin + ", not RabbitMQ; run a "
                + "RabbitMQ on 127.0.0.1:5672 or set DI_RABBIT_URI to test it";
    }

    /** Whether an AMQP handshake with these credentials succeeds. */
    boolean answers() {
        if (!Ports.answers(host, port)) {
            return false;
        }
        try (Connection ignored = connectionFactory().newConnection()) {
            return true;
        } catch (IOException | TimeoutException e) {
            return false;
        }
    }

    /** Spring Boot properties that point a daemon at this broker. */
    public java.util.Map<String, String> springProperties() {
        return java.util.Map.of(
                "spring.rabbitmq.host", host,
                "spring.rabbitmq.port", String.valueOf(port),
                "spring.rabbitmq.username", username,
                "spring.rabbitmq.password", password);
    }

    /** queue-scheduler properties that put both its source and its target broker on this broker. */
    public java.util.Map<String, String> schedulerProperties() {
        java.util.Map<String, String> properties = new java.util.LinkedHashMap<>();
        for (String side : java.util.List.of("source", "target")) {
            String prefix = "dynamic-index.scheduler." + side + ".";
            properties.put(prefix + "host", host);
            properties.put(prefix + "port", String.valueOf(port));
            properties.put(prefix + "username", username);
            properties.put(prefix + "password", password);
        }
        return properties;
    }
}
