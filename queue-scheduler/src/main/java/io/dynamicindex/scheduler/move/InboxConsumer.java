package io.dynamicindex.scheduler.move;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Delivery;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.ShutdownSignalException;

/**
 * The source consumer of one tick. It hands deliveries from the amqp-client dispatch thread to the tick thread
 * through the tick's event queue, and puts {@link Transfer.Signal#CONSUMER_ENDED} there once it is cancelled or its
 * channel closed. The client runs a channel's callbacks in order, so every delivery precedes that signal. The queue
 * never holds more deliveries than the prefetch.
 */
final class InboxConsumer extends DefaultConsumer {

    private final BlockingQueue<Object> events;
    private final AtomicLong highestDelivered;
    private final AtomicBoolean ended = new AtomicBoolean();

    InboxConsumer(Channel channel, BlockingQueue<Object> events, AtomicLong highestDelivered) {
        super(channel);
        this.events = events;
        this.highestDelivered = highestDelivered;
    }

    @Override
    public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
        highestDelivered.accumulateAndGet(envelope.getDeliveryTag(), Math::max);
        events.add(new Delivery(envelope, properties, body));
    }

    @Override
    public void handleCancelOk(String tag) {
        end();
    }

    @Override
    public void handleCancel(String tag) {
        end();
    }

    @Override
    public void handleShutdownSignal(String tag, ShutdownSignalException signal) {
        end();
    }

    /** Whether the consumer was cancelled (by us or the broker) or its channel closed. */
    boolean ended() {
        return ended.get();
    }

    private void end() {
        if (ended.compareAndSet(false, true)) {
            events.add(Transfer.Signal.CONSUMER_ENDED);
        }
    }
}
