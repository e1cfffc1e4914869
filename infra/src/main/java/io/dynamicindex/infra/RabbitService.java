package io.dynamicindex.infra;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.rabbitmq.RabbitMQContainer;

/**
 * The one RabbitMQ of this JVM. Tried in order: {@code DI_RABBIT_URI} (amqp://user:pass@host:port), a broker on
 * 127.0.0.1:5672, a Testcontainers RabbitMQ when Docker runs, and last an embedded Qpid Broker-J with a warning.
 */
public final class RabbitService {

    private static final Logger LOG = LoggerFactory.getLogger(RabbitService.class);
    private static RabbitEndpoint endpoint;

    private RabbitService() {
    }

    public static synchronized RabbitEndpoint endpoint() {
        if (endpoint == null) {
            endpoint = locate();
            LOG.info("RabbitMQ for this run: {}:{} ({})", endpoint.host(), endpoint.port(), endpoint.origin());
        }
        return endpoint;
    }

    private static RabbitEndpoint locate() {
        String uri = System.getenv("DI_RABBIT_URI");
        if (uri != null && !uri.isBlank()) {
            return RabbitEndpoint.fromUri(uri, "environment DI_RABBIT_URI");
        }
        RabbitEndpoint local = new RabbitEndpoint("127.0.0.1", 5672, "guest", "guest", "local service");
        if (local.answers()) {
            return local;
        }
        if (dockerAvailable()) {
            return startContainer();
        }
        LOG.warn("No RabbitMQ on 127.0.0.1:5672 and no Docker: starting an embedded Qpid Broker-J."
                + " It speaks AMQP 0-9-1 but is not RabbitMQ; set DI_RABBIT_URI to test against RabbitMQ.");
        EmbeddedBroker broker = EmbeddedBroker.start(Ports.free());
        Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "embedded-broker-shutdown"));
        return new RabbitEndpoint("127.0.0.1", broker.port(), "guest", "guest", "embedded Qpid");
    }

    static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    @SuppressWarnings("resource")
    private static RabbitEndpoint startContainer() {
        RabbitMQContainer container = new RabbitMQContainer("rabbitmq:3.13-management");
        container.start();
        Runtime.getRuntime().addShutdownHook(new Thread(container::stop, "rabbitmq-container-shutdown"));
        return new RabbitEndpoint(container.getHost(), container.getAmqpPort(), container.getAdminUsername(),
                container.getAdminPassword(), "Testcontainers");
    }
}
