package io.dynamicindex.indexer.consume;

import java.io.IOException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;

import io.dynamicindex.common.QueueArguments;

/**
 * The indexer's one AMQP connection, opened on first use and reopened on the first use after it was lost. Owns the
 * single thread that re-subscribes consumers after the broker closed their channel, and shuts it down on close.
 */
public final class AmqpConnection implements AutoCloseable {

    private final ConnectionFactory factory;
    private final ScheduledExecutorService resubscriber = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "indexer-resubscribe");
        thread.setDaemon(true);
        return thread;
    });
    private Connection connection;

    public AmqpConnection(ConnectionFactory factory) {
        this.factory = factory;
        factory.setAutomaticRecoveryEnabled(false);
    }

    synchronized Channel openChannel() throws IOException, TimeoutException {
        if (connection == null || !connection.isOpen()) {
            connection = factory.newConnection("queue-indexer");
        }
        return connection.createChannel();
    }

    void later(Runnable task, long delayMillis) {
        if (!resubscriber.isShutdown()) {
            resubscriber.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Creates the queue as durable classic (lazy on RabbitMQ) when it does not exist; an existing queue keeps its
     * arguments.
     */
    public void declareIfMissing(String queue) throws IOException, TimeoutException {
        try (Channel channel = openChannel()) {
            channel.queueDeclarePassive(queue);
        } catch (IOException missing) {
            try (Channel channel = openChannel()) {
                channel.queueDeclare(queue, true, false, false,
                        QueueArguments.forMissingQueue(channel.getConnection().getServerProperties()));
            }
        }
    }

    @Override
    public synchronized void close() {
        resubscriber.shutdownNow();
        if (connection != null && connection.isOpen()) {
            try {
                connection.close(5_000);
            } catch (IOException e) {
                connection.abort();
            }
        }
    }
}
