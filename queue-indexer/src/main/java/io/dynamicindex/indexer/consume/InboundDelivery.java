package io.dynamicindex.indexer.consume;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;

import com.rabbitmq.client.Channel;
import io.micrometer.core.instrument.Counter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One AMQP delivery, which may carry several canonical messages (parts). It is acknowledged once every part is
 * done; if any part could not be settled (its dead letter could not be stored), it is rejected with requeue
 * instead, so the broker delivers it again. Parts may finish on different worker threads.
 */
public final class InboundDelivery {

    private static final Logger LOG = LoggerFactory.getLogger(InboundDelivery.class);

    private final String queue;
    private final Channel channel;
    private final long deliveryTag;
    private final AtomicInteger openParts;
    private final Settlements settlements;
    private volatile boolean requeue;

    /** Counts what happens to deliveries; one per queue. */
    public record Settlements(Counter acknowledged, Counter requeued) {
    }

    public InboundDelivery(String queue, Channel channel, long deliveryTag, int parts, Settlements settlements) {
        this.queue = queue;
        this.settlements = settlements;
        this.channel = channel;
        this.deliveryTag = deliveryTag;
        this.openParts = new AtomicInteger(parts);
    }

    public String queue() {
        return queue;
    }

    /** Marks one part done; settles the delivery with the broker after the last part. */
    public void partDone(boolean settled) {
        if (!settled) {
            requeue = true;
        }
        if (openParts.decrementAndGet() == 0) {
            settle();
        }
    }

    private void settle() {
        try {
            if (requeue) {
                channel.basicNack(deliveryTag, false, true);
                settlements.requeued().increment();
            } else {
                channel.basicAck(deliveryTag, false);
                settlements.acknowledged().increment();
            }
        } catch (IOException | RuntimeException e) {
            // the channel closed since the delivery: the broker requeued it and will deliver it again
            LOG.debug("{}: could not settle delivery {} on a closed channel: {}", queue, deliveryTag, e.toString());
        }
    }
}
