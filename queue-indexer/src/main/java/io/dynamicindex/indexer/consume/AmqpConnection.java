package io.dynamicindex.indexer.consume;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.rabbitmq.client.Address;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;

import io.dynamicindex.common.MissingQueue;

/**
 * The indexer's one AMQP connection, opened on first use and reopened on the first use after it was lost; on a
 * cluster each (re)connect tries the nodes' addresses in order and takes the first that answers. Owns the single
 * thread that re-subscribes consumers after the broker closed their channel, and shuts it down on close.
 */
public final class AmqpConnection implements AutoCloseable {

    private final ConnectionFactory factory;
    private final List<Address> addresses;
    private final ScheduledExecutorService resubscriber = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "indexer-resubscribe");
        thread.setDaemon(true);
        return thread;
    });
    private Connection connection;

    /** A connection to the factory's own host and port. */
    public AmqpConnection(ConnectionFactory factory) {
        this(factory, List.of(new Address(factory.getHost(), factory.getPort())));
    }

    /** A connection to the first of these addresses that answers, with the factory's credentials and settings. */
    public AmqpConnection(ConnectionFactory factory, List<Address> addresses) {
        this.factory = factory;
        this.addresses = List.copyOf(addresses);
        factory.setAutomaticRecoveryEnabled(false);
    }

    synchronized Channel openChannel() throws IOException, TimeoutException {
        if (connection == null || !connection.isOpen()) {
            connection = factory.newConnection(addresses, "queue-indexer");
        }
        return connection.createChannel();
    }

    void later(Runnable task, long delayMillis) {
        if (!resubscriber.isShutdown()) {
            resubscriber.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Creates the queue when it does not exist, as every daemon does ({@link MissingQueue}): quorum when the indexer
     * was given several broker addresses, classic (lazy on RabbitMQ) otherwise; an existing queue keeps its arguments.
     */
    public void declareIfMissing(String queue) throws IOException, TimeoutException {
        MissingQueue.declare(this::openChannel, queue, addresses.size() > 1);
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
