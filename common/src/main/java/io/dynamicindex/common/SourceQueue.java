package io.dynamicindex.common;

import java.io.IOException;
import java.util.Map;

import com.rabbitmq.client.Channel;

/**
 * A source queue as the daemons that publish to it declare it (the queue server, the outbox relay), so that their
 * declarations match: durable, quorum with its delivery limit and its parking queue (declared first), or classic and
 * lazy when asked, with an optional length limit that refuses publishes when full ({@link QueueArguments}).
 *
 * @param name          the queue
 * @param quorum        a quorum queue, else classic
 * @param deliveryLimit for a quorum queue: deliveries after which a message moves to the parking queue
 * @param lazy          a classic queue is lazy
 * @param maxLength     the length limit, or null for none
 */
public record SourceQueue(String name, boolean quorum, int deliveryLimit, boolean lazy, Long maxLength) {

    /**
     * Declares the queue (and a quorum queue's parking queue first) with the arguments the connected broker accepts;
     * RabbitMQ refuses (406) an existing queue of other arguments.
     *
     * @param clustered whether the daemon talks to a cluster: a quorum queue's parking queue is then quorum too
     */
    public void declare(Channel channel, boolean clustered) throws IOException {
        Map<String, Object> server = channel.getConnection().getServerProperties();
        if (quorum) {
            channel.queueDeclare(QueueArguments.parkingQueue(name), true, false, false,
                    QueueArguments.forParkingQueue(clustered, server));
        }
        channel.queueDeclare(name, true, false, false, QueueArguments.forBroker(
                QueueArguments.forSourceQueue(name, quorum, deliveryLimit, lazy, maxLength), server));
    }
}
