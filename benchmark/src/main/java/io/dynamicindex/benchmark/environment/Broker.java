package io.dynamicindex.benchmark.environment;

import java.io.IOException;
import java.util.concurrent.TimeoutException;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.MessageProperties;

import io.dynamicindex.benchmark.measure.LoadDriver;
import io.dynamicindex.benchmark.workload.WorkloadGenerator.Batch;
import io.dynamicindex.common.QueueArguments;
import io.dynamicindex.infra.RabbitEndpoint;

/**
 * Plain AMQP access for the harness: declare, measure and delete queues, and publish persistent messages with
 * publisher confirms, as the queue server does. Owns one connection; each {@link Publisher} has its own channel.
 */
public final class Broker implements AutoCloseable {

    private static final long CONFIRM_TIMEOUT_MILLIS = 60_000;

    private final Connection connection;
    private Channel admin;

    public Broker(RabbitEndpoint endpoint) {
        this.connection = endpoint.connect();
    }

    /** Declares a durable classic queue as the daemons do when they create one (lazy on RabbitMQ). */
    public synchronized void declare(String queue) throws IOException {
        adminChannel().queueDeclare(queue, true, false, false,
                QueueArguments.forMissingQueue(connection.getServerProperties()));
    }

    /** Messages ready in the queue (not counting unacknowledged deliveries); 0 when the queue does not exist. */
    public synchronized long depth(String queue) {
        try {
            return adminChannel().queueDeclarePassive(queue).getMessageCount();
        } catch (IOException | RuntimeException e) {
            admin = null;
            return 0;
        }
    }

    public synchronized void delete(String queue) {
        try {
            adminChannel().queueDelete(queue);
        } catch (IOException | RuntimeException e) {
            admin = null;
        }
    }

    private Channel adminChannel() throws IOException {
        if (admin == null || !admin.isOpen()) {
            admin = connection.createChannel();
        }
        return admin;
    }

    /** A channel of its own for a client thread, which closes it. */
    public Channel channel() throws IOException {
        return connection.createChannel();
    }

    /** A publisher on a channel of its own; not thread-safe, so one per client thread. */
    public Publisher publisher(String queue) throws IOException {
        Channel channel = connection.createChannel();
        channel.confirmSelect();
        return new Publisher(channel, queue);
    }

    @Override
    public void close() {
        try {
            connection.close(5_000);
        } catch (IOException e) {
            connection.abort();
        }
    }

    /** Publishes each batch persistent to one queue and returns once the broker confirmed all of it. */
    public static final class Publisher implements LoadDriver.Sink, AutoCloseable {

        private static final AMQP.BasicProperties PERSISTENT = MessageProperties.PERSISTENT_BASIC.builder()
                .contentType("application/json").build();

        private final Channel channel;
        private final String queue;

        Publisher(Channel channel, String queue) {
            this.channel = channel;
            this.queue = queue;
        }

        @Override
        public void accept(Batch batch) throws IOException, InterruptedException, TimeoutException {
            for (byte[] message : batch.messages()) {
                channel.basicPublish("", queue, PERSISTENT, message);
            }
            channel.waitForConfirmsOrDie(CONFIRM_TIMEOUT_MILLIS);
        }

        @Override
        public void close() throws IOException, TimeoutException {
            channel.close();
        }
    }
}
