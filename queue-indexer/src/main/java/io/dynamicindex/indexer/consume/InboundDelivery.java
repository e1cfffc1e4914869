package io.dynamicindex.indexer.consume;

import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Counter;

/**
 * One AMQP delivery, which may carry several canonical messages (parts). Once every part is done it is settled on
 * its channel, to be acknowledged with the channel's next flush. Parts may finish on different worker threads.
 */
public final class InboundDelivery {

    private final String queue;
    private final ChannelAcks acks;
    private final long deliveryTag;
    private final AtomicInteger openParts;
    private final Counter acknowledged;

    public InboundDelivery(String queue, ChannelAcks acks, long deliveryTag, int parts, Counter acknowledged) {
        this.queue = queue;
        this.acks = acks;
        this.deliveryTag = deliveryTag;
        this.openParts = new AtomicInteger(parts);
        this.acknowledged = acknowledged;
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
            acknowledged.increment();
        }
    }
}
