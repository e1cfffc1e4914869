package io.dynamicindex.indexer.consume;

import java.io.IOException;
import java.util.TreeSet;

import com.rabbitmq.client.Channel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The open deliveries of one consumer channel. Workers settle deliveries in any order; {@link #flush()} then sends
 * one multiple-ack for every settled delivery below the first one still open, instead of one ack per message. Once
 * the channel is closed its deliveries belong to the broker again (it requeues them), so nothing more is sent.
 * Thread-safe.
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

    /** The delivery is done: acknowledged with the next flush. */
    synchronized void settled(long deliveryTag) {
        open.remove(deliveryTag);
        toAcknowledge.add(deliveryTag);
    }

    /** Whether the channel is still open; a closed channel's deliveries will be redelivered on another. */
    public boolean isOpen() {
        return channel.isOpen();
    }

    /**
     * Closes the channel so that the broker requeues every delivery not yet acknowledged: the way to give back
     * deliveries whose processing failed unexpectedly, in their queue order. The consumer subscribes again.
     */
    public void recycle(String why) {
        if (channel.isOpen()) {
            LOG.warn("closing channel {} so that its unacknowledged deliveries are redelivered: {}",
                    channel.getChannelNumber(), why);
            try {
                channel.abort(200, "recycled: " + why);
            } catch (IOException | RuntimeException e) {
                LOG.debug("channel {} was closing already: {}", channel.getChannelNumber(), e.toString());
            }
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
            // the channel closed since the delivery: the broker requeued what it had not acknowledged
            LOG.debug("could not acknowledge on a closed channel; the broker redelivers: {}", e.toString());
        }
    }
}
