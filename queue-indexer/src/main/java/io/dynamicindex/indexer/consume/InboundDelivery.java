package io.dynamicindex.indexer.consume;

import java.util.concurrent.atomic.AtomicInteger;

import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;

/**
 * One AMQP delivery, which may carry several canonical messages (parts). Once every part is done it is settled on
 * its channel, to be acknowledged with the channel's next flush. Parts may finish on different worker threads.
 */
public final class InboundDelivery {

    private final String queue;
    private final ChannelAcks acks;
    private final long deliveryTag;
    private final AtomicInteger openParts;
    private final long acceptedAtMillis;
    private final Meters meters;

    /**
     * The meters of settled deliveries.
     *
     * @param acknowledged settled deliveries.
     * @param lag          acceptance by the queue server to settlement here (end-to-end lag; whole seconds in).
     */
    public record Meters(Counter acknowledged, Timer lag) {
    }

    public InboundDelivery(String queue, ChannelAcks acks, long deliveryTag, int parts, long acceptedAtMillis,
                           Meters meters) {
        this.queue = queue;
        this.acks = acks;
        this.deliveryTag = deliveryTag;
        this.openParts = new AtomicInteger(parts);
        this.acceptedAtMillis = acceptedAtMillis;
        this.meters = meters;
    }

    public String queue() {
        return queue;
    }

    /** Where its acknowledgement goes; flush it after settling a batch. */
    public ChannelAcks acks() {
        return acks;
    }

    /** Marks one part done; settles the delivery with the broker after the last part. */
    public void partDone() {
        if (openParts.decrementAndGet() == 0) {
            acks.settled(deliveryTag);
            meters.acknowledged().increment();
            if (acceptedAtMillis > 0) {
                meters.lag().record(Math.max(0, System.currentTimeMillis() - acceptedAtMillis), TimeUnit.MILLISECONDS);
            }
        }
    }
}
