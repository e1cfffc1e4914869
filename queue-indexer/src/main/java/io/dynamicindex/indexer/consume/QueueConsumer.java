package io.dynamicindex.indexer.consume;

import java.io.IOException;
import java.util.concurrent.TimeoutException;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.ShutdownSignalException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One AMQP consumer with manual acknowledgement and a prefetch limit, so that at most prefetch deliveries are
 * unacknowledged on its channel. Whenever its channel closes while it runs (connection loss, consumer_timeout, a
 * worker giving back a failed batch, a delivery callback that failed), the broker requeues the unacknowledged
 * deliveries; the consumer has the pipeline discard what it buffered from that channel, then subscribes again on a
 * new channel, so the buffer never holds more than prefetch deliveries per consumer.
 */
public final class QueueConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(QueueConsumer.class);
    private static final long RESUBSCRIBE_DELAY_MILLIS = 2_000;

    private final String queue;
    private final String tag;
    private final int prefetch;
    private final AmqpConnection connection;
    private final DeliverySink sink;
    private volatile boolean running;
    private volatile Channel channel;

    public QueueConsumer(String queue, int number, int prefetch, AmqpConnection connection, DeliverySink sink) {
        this.queue = queue;
        this.tag = "indexer-" + queue + "-consumer-" + number;
        this.prefetch = prefetch;
        this.connection = connection;
        this.sink = sink;
    }

    public void start() {
        running = true;
        subscribe();
    }

    private void subscribe() {
        if (!running) {
            return;
        }
        try {
            Channel opened = connection.openChannel();
            opened.basicQos(prefetch);
            opened.basicConsume(queue, false, tag, new Consumer(opened));
            channel = opened;
            LOG.info("{}: consumer {} subscribed with prefetch {}", queue, tag, prefetch);
        } catch (IOException | TimeoutException | RuntimeException e) {
            LOG.warn("{}: consumer {} cannot subscribe now, retrying in {} ms: {}", queue, tag,
                    RESUBSCRIBE_DELAY_MILLIS, e.toString());
            connection.later(this::subscribe, RESUBSCRIBE_DELAY_MILLIS);
        }
    }

    /** Stops new deliveries; deliveries already received stay open until the workers settle them. */
    public void cancel() {
        running = false;
        Channel current = channel;
        if (current != null && current.isOpen()) {
            try {
                current.basicCancel(tag);
            } catch (IOException | RuntimeException e) {
                LOG.debug("{}: cancel of {} failed: {}", queue, tag, e.toString());
            }
        }
    }

    /** Closes the channel; unacknowledged deliveries return to the queue. */
    public void close() {
        running = false;
        Channel current = channel;
        if (current != null && current.isOpen()) {
            try {
                current.close();
            } catch (IOException | TimeoutException | RuntimeException e) {
                LOG.debug("{}: close of {} failed: {}", queue, tag, e.toString());
            }
        }
    }

    private final class Consumer extends DefaultConsumer {

        private final ChannelAcks acks;

        Consumer(Channel channel) {
            super(channel);
            this.acks = new ChannelAcks(channel);
        }

        @Override
        public void handleDelivery(String consumerTag, Envelope envelope, AMQP.BasicProperties properties,
                                   byte[] body) {
            try {
                acks.delivered(envelope.getDeliveryTag());
                sink.accept(acks, envelope.getDeliveryTag(),
                        properties.getTimestamp() == null ? 0 : properties.getTimestamp().getTime(), body);
            } catch (RuntimeException | Error e) {
                LOG.error("{}: consumer {} failed on a delivery; closing its channel so the broker redelivers",
                        queue, consumerTag, e);
                acks.recycle("a delivery callback failed: " + e);
            }
        }

        @Override
        public void handleCancel(String consumerTag) {
            acks.recycle("the broker cancelled consumer " + consumerTag + " (queue deleted?)");
        }

        @Override
        public void handleShutdownSignal(String consumerTag, ShutdownSignalException signal) {
            sink.closed(acks);
            if (running) {
                LOG.warn("{}: the channel of {} closed ({}); its unacknowledged deliveries are requeued, "
                        + "subscribing again", queue, consumerTag, signal.getMessage());
                connection.later(QueueConsumer.this::subscribe, RESUBSCRIBE_DELAY_MILLIS);
            }
        }
    }
}
