package io.dynamicindex.common;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.TimeoutException;

import com.rabbitmq.client.Channel;

/**
 * Declares a queue that a daemon needs but nobody declared (an index queue the scheduler moves to or the indexer
 * consumes), the same way in every daemon. An existing queue keeps its own type and arguments. A missing one is
 * created durable: on a cluster (the daemon was given several broker addresses) as a quorum queue with the default
 * delivery limit and its parking queue, declared first, so that it survives the loss of a node; on a single node as
 * a classic queue, lazy on RabbitMQ.
 */
public final class MissingQueue {

    /** Deliveries after which a message that consumers keep returning moves to the parking queue. */
    public static final int DELIVERY_LIMIT = 20;

    /** Opens a channel of the caller's connection; the declaration closes it. */
    @FunctionalInterface
    public interface Channels {
        Channel open() throws IOException, TimeoutException;
    }

    private MissingQueue() {
    }

    /**
     * Creates the queue when it does not exist.
     *
     * @param clustered whether the daemon talks to a cluster: a missing queue is then a quorum queue
     */
    public static void declare(Channels channels, String queue, boolean clustered)
            throws IOException, TimeoutException {
        try (Channel channel = channels.open()) {
            channel.queueDeclarePassive(queue);
        } catch (IOException missing) {
            try (Channel channel = channels.open()) {
                Map<String, Object> server = channel.getConnection().getServerProperties();
                if (clustered) {
                    channel.queueDeclare(QueueArguments.parkingQueue(queue), true, false, false,
                            QueueArguments.forParkingQueue(true, server));
                }
                channel.queueDeclare(queue, true, false, false, clustered
                        ? QueueArguments.forBroker(QueueArguments.quorum(DELIVERY_LIMIT,
                                QueueArguments.parkingQueue(queue)), server)
                        : QueueArguments.forMissingQueue(server));
            }
        }
    }
}
