package io.dynamicindex.outbox.relay;

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

import io.dynamicindex.common.SourceQueue;
import io.dynamicindex.outbox.config.OutboxProperties.QueueSettings;

/**
 * Declares the source queues durable whenever a connection to the broker opens, as the queue server declares them
 * ({@link SourceQueue}); a quorum queue's parking queue first. {@link #checkAtStartup}
 * opens the connection once, so that a queue that exists with other arguments stops the relay with a clear message.
 */
public class QueueDeclarer implements ConnectionListener {

    private static final Logger LOG = LoggerFactory.getLogger(QueueDeclarer.class);

    private final Map<String, QueueSettings> queues;
    private final ConnectionFactory connectionFactory;
    private final boolean clustered;

    /** @param clustered whether the broker is a cluster: a queue without a type is then quorum */
    public QueueDeclarer(Map<String, QueueSettings> queues, ConnectionFactory connectionFactory, boolean clustered) {
        this.queues = Map.copyOf(queues);
        this.connectionFactory = connectionFactory;
        this.clustered = clustered;
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

    /** Opens the connection; when the broker is not reachable, the queues are declared once it is. */
    public void checkAtStartup() {
        try {
            connectionFactory.createConnection().close();
        } catch (AmqpException e) {
            if (RabbitUtils.isMismatchedQueueArgs(e)) {
                throw new IllegalStateException("a source queue exists on the broker with other arguments than "
                        + "dynamic-index.outbox.queues.<queue>.* declare; make them match the queue server's "
                        + "dynamic-index.server.queues.<queue>.* and the queue", e);
            }
            LOG.warn("outbox relay: broker not reachable at startup ({}); source queues are declared once it is",
                    e.getMessage());
        }
    }

}
