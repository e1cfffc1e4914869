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

import io.dynamicindex.common.QueueArguments;
import io.dynamicindex.outbox.config.OutboxProperties.QueueSettings;
import io.dynamicindex.outbox.config.OutboxProperties.QueueType;

/**
 * Declares the source queues durable whenever a connection to the broker opens, with the arguments the queue server
 * declares them with ({@link QueueArguments#forBroker}); a quorum queue's parking queue first. {@link #checkAtStartup}
 * opens the connection once, so that a queue that exists with other arguments stops the relay with a clear message.
 */
public class QueueDeclarer implements ConnectionListener {

    private static final Logger LOG = LoggerFactory.getLogger(QueueDeclarer.class);

    private final Map<String, QueueSettings> queues;
    private final ConnectionFactory connectionFactory;

    public QueueDeclarer(Map<String, QueueSettings> queues, ConnectionFactory connectionFactory) {
        this.queues = Map.copyOf(queues);
        this.connectionFactory = connectionFactory;
        connectionFactory.addConnectionListener(this);
    }

    @Override
    public void onCreate(Connection connection) {
        Map<String, Object> server = connection.getDelegate().getServerProperties();
        Channel channel = connection.createChannel(false);
        try {
            for (Map.Entry<String, QueueSettings> queue : queues.entrySet()) {
                if (queue.getValue().type() == QueueType.QUORUM) {
                    channel.queueDeclare(QueueArguments.parkingQueue(queue.getKey()), true, false, false,
                            QueueArguments.forMissingQueue(server));
                }
                channel.queueDeclare(queue.getKey(), true, false, false,
                        QueueArguments.forBroker(arguments(queue.getKey(), queue.getValue()), server));
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

    /** The arguments the configuration asks for, before the broker's own rules. */
    private static Map<String, Object> arguments(String queue, QueueSettings settings) {
        return QueueArguments.forSourceQueue(queue, settings.type() == QueueType.QUORUM, settings.deliveryLimit(),
                settings.lazy(), settings.maxLength());
    }
}
