package io.dynamicindex.indexer.consume;

import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Counter;

/**
 * One AMQP delivery, which may carry several canonical messages (parts). Once every part is done it is settled on
 * its channel: to acknowledge (with the channel's next flush), or, if any part could not be settled (its dead letter
 * could not be stored), rejected with requeue, so the broker delivers it again. Parts may finish on different
 * worker threads.
 */
public final class InboundDelivery {

    private final String queue;
    private final ChannelAcks acks;
    private final long deliveryTag;
    private final AtomicInteger openParts;
    private final Settlements settlements;
    private volatile boolean requeue;

    /** Counts what happens to deliveries; one per queue. */
    public record Settlements(Counter acknowledged, Counter requeued) {
    }

    public InboundDelivery(String queue, ChannelAcks acks, long deliveryTag, int parts, Settlements settlements) {
        this.queue = queue;
        this.settlements = settlements;
        this.acks = acks;
        this.deliveryTag = deliveryTag;
        this.openParts = new AtomicInteger(parts);
    }

    public String queue() {
        return queue;
    }

    /** Where its acknowledgement goes; flush it after settling a batch. */
    public ChannelAcks acks() {
        return acks;
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
        acks.settled(deliveryTag, !requeue);
        (requeue ? settlements.requeued() : settlements.acknowledged()).increment();
    }
}
