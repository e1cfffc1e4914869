package io.dynamicindex.scheduler.move;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import com.rabbitmq.client.Address;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;

import io.dynamicindex.common.MissingQueue;
import io.dynamicindex.scheduler.config.SchedulerProperties.Broker;

/**
 * One AMQP connection to a broker, shared by every route, opened on first use and reopened on the first use after it
 * was lost, so that a broker outage costs the ticks during the outage and nothing more. On a cluster each (re)connect
 * tries the nodes' addresses in order and takes the first that answers, so a dead node costs the ticks until the
 * loss is noticed. Heartbeats find a dead peer
 * within about 20 s. Channel calls (open, declare, close) wait at most the call timeout, so a broker that stops
 * reading (a resource alarm) cannot hold a tick in them; the broker's {@code connection.blocked} notification is kept,
 * so that a tick stops publishing at once.
 */
public final class BrokerConnection implements AutoCloseable {

    private final ConnectionFactory factory;
    private final List<Address> addresses;
    private final boolean clustered;
    private final String name;
    private volatile Connection connection;
    private volatile String blocked;

    /** @param callTimeout the longest a channel call may wait for the broker */
    public BrokerConnection(Broker broker, String name, Duration callTimeout) {
        this.factory = new ConnectionFactory();
        this.addresses = broker.amqpAddresses();
        this.clustered = broker.clustered();
        factory.setUsername(broker.username());
        factory.setPassword(broker.password());
        factory.setVirtualHost(broker.virtualHost());
        factory.setAutomaticRecoveryEnabled(false);
        factory.setConnectionTimeout(5_000);
        factory.setRequestedHeartbeat(10);
        factory.setChannelRpcTimeout((int) callTimeout.toMillis());
        this.name = name;
    }

    public synchronized Channel openChannel() throws IOException, TimeoutException {
        if (connection == null || !connection.isOpen()) {
            connection = factory.newConnection(addresses, name);
            blocked = null;
            connection.addBlockedListener(reason -> blocked = reason, () -> blocked = null);
        }
        return connection.createChannel();
    }

    /**
     * Creates the queue if it does not exist yet, as the other daemons do ({@link MissingQueue}): quorum on a
     * cluster, classic (lazy on RabbitMQ) on one node; an existing queue keeps its own type and arguments.
     */
    public void declareIfMissing(String queue) throws IOException, TimeoutException {
        MissingQueue.declare(this::openChannel, queue, clustered);
    }

    /** The broker's reason while it blocks this connection's publishes (a resource alarm). */
    public Optional<String> blocked() {
        return Optional.ofNullable(blocked);
    }

    /** The node this connection is open to, or every address while it is not open. */
    public String address() {
        Connection open = connection;
        return open != null && open.isOpen() ? open.getAddress().getHostAddress() + ":" + open.getPort()
                : addresses.stream().map(Address::toString).collect(Collectors.joining(","));
    }

    @Override
    public synchronized void close() {
        if (connection != null && connection.isOpen()) {
            try {
                connection.close(5_000);
            } catch (IOException e) {
                connection.abort();
            }
        }
    }
}
