package io.dynamicindex.indexer.consume;

import java.io.IOException;
import java.util.TreeSet;

import com.rabbitmq.client.Channel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The open deliveries of one consumer channel. Workers settle deliveries in any order; {@link #flush()} then sends
 * one multiple-ack for every settled delivery below the first one still open, instead of one ack per message. A
 * delivery to requeue is nacked at once, on its own, and no later ack names its tag. Thread-safe.
 */
public final class ChannelAcks {

    private static final Logger LOG = LoggerFactory.getLogger(ChannelAcks.class);

    private final Channel channel;
    private final TreeSet<Long> open = new TreeSet<>();
    private final TreeSet<Long> toAcknowledge = new TreeSet<>();
    private long lastDelivered;

    public ChannelAcks(Channel channel) {
        this.channel = channel;
    }

    synchronized void delivered(long deliveryTag) {
        open.add(deliveryTag);
        lastDelivered = deliveryTag;
    }

    /** The delivery is done: to acknowledge with the next flush, or (requeue) nacked now. */
    synchronized void settled(long deliveryTag, boolean acknowledge) {
        open.remove(deliveryTag);
        if (acknowledge) {
            toAcknowledge.add(deliveryTag);
            return;
        }
        try {
            channel.basicNack(deliveryTag, false, true);
        } catch (IOException | RuntimeException e) {
            closed(e);
        }
    }

    /** Acknowledges, with one multiple-ack, every settled delivery that no open delivery precedes. */
    public synchronized void flush() {
        long firstOpen = open.isEmpty() ? lastDelivered + 1 : open.first();
        Long upTo = toAcknowledge.lower(firstOpen);
        if (upTo == null) {
            return;
        }
        toAcknowledge.headSet(upTo, true).clear();
        try {
            channel.basicAck(upTo, true);
        } catch (IOException | RuntimeException e) {
            closed(e);
        }
    }

    private void closed(Exception e) {
        // the channel closed since the delivery: the broker requeued what it had not acknowledged
        LOG.debug("could not settle on a closed channel; the broker redelivers: {}", e.toString());
    }
}
