package io.dynamicindex.server.publish;

import java.io.IOException;
import java.util.Map;

import com.rabbitmq.client.Channel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.rabbit.connection.Connection;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.connection.ConnectionListener;
import org.springframework.amqp.rabbit.connection.RabbitUtils;
import org.springframework.amqp.rabbit.support.RabbitExceptionTranslator;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.amqp.autoconfigure.RabbitConnectionDetails;
import org.springframework.stereotype.Component;

import io.dynamicindex.common.SourceQueue;
import io.dynamicindex.server.config.QueueServerProperties;
import io.dynamicindex.server.config.QueueServerProperties.QueueSettings;

/**
 * Declares the source queues durable whenever a connection to the broker opens ({@link SourceQueue}), with the
 * arguments the connected broker accepts; a quorum queue gets an explicit delivery limit and its parking queue,
 * declared first, so that no message over the limit is dropped. A queue without a type is quorum when
 * {@code spring.rabbitmq.addresses} names several nodes (a cluster), classic otherwise. A declaration that fails throws to whoever opened the
 * connection: the startup check, or the request that reconnected. At startup the connection is opened once when the
 * broker is reachable, so that a queue that already exists with other arguments (type, max-length, lazy) stops the
 * server with a clear message instead of failing every request with 503.
 */
@Component
public class SourceQueueDeclarer implements ConnectionListener, ApplicationRunner {

    private static final Logger LOG = LoggerFactory.getLogger(SourceQueueDeclarer.class);

    private final Map<String, QueueSettings> queues;
    private final ConnectionFactory connectionFactory;
    private final boolean clustered;

    public SourceQueueDeclarer(QueueServerProperties properties, ConnectionFactory connectionFactory,
                               RabbitConnectionDetails broker) {
        this.queues = Map.copyOf(properties.queues());
        this.connectionFactory = connectionFactory;
        this.clustered = broker.getAddresses().size() > 1;
        connectionFactory.addConnectionListener(this);
    }

    @Override
    public void onCreate(Connection connection) {
        Channel channel = connection.createChannel(false);
        try {
            for (Map.Entry<String, QueueSettings> queue : queues.entrySet()) {
                QueueSettings settings = queue.getValue();
                new SourceQueue(queue.getKey(), settings.quorum(clustered), settings.deliveryLimit(), settings.lazy(),
                        settings.maxLength()).declare(channel, clustered);
            }
        } catch (IOException e) {
            throw RabbitExceptionTranslator.convertRabbitAccessException(e);
        } finally {
            RabbitUtils.closeChannel(channel);
        }
    }

    /** Opens the connection at startup; when the broker is not reachable, the queues are declared when it is. */
    @Override
    public void run(ApplicationArguments arguments) {
        try {
            connectionFactory.createConnection().close();
        } catch (AmqpException e) {
            if (RabbitUtils.isMismatchedQueueArgs(e)) {
                throw new IllegalStateException("a source queue exists on the broker with other arguments than "
                        + "dynamic-index.server.queues.<queue>.* declare: " + rootMessage(e) + ". Make type, "
                        + "max-length and lazy match the queue, or change the queue (a policy, or delete and "
                        + "let the server declare it)", e);
            }
            LOG.warn("broker not reachable at startup ({}); source queues are declared once it is", e.getMessage());
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage();
    }
}
