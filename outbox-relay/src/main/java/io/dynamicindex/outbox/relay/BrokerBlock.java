package io.dynamicindex.outbox.relay;

import java.util.Optional;

import com.rabbitmq.client.ShutdownSignalException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.rabbit.connection.Connection;
import org.springframework.amqp.rabbit.connection.ConnectionListener;

/**
 * Whether RabbitMQ blocks the relay's connection because of a resource alarm (memory or disk), from the broker's
 * {@code connection.blocked} and {@code connection.unblocked} notifications. A blocked broker stops reading the
 * connection, and it does not close it for missed heartbeats either, so whatever the relay wrote would only wait
 * in buffers and arrive whenever the alarm clears, possibly long after the batch gave up and after another
 * instance took over. So while the connection is blocked the relay starts no batch and publishes no further message
 * of a batch under way ({@link RowPublisher}), and it shows {@code BACKING_OFF} with the broker's reason.
 *
 * <p>Registered on the connection factory as a {@link ConnectionListener}: each new connection gets a
 * {@link com.rabbitmq.client.BlockedListener}; a connection that closes or is lost forgets its block (a new one is
 * told again by the broker if the alarm still holds), so a lost connection never leaves the relay waiting for an
 * {@code unblocked} that cannot come.
 */
public final class BrokerBlock implements ConnectionListener {

    private static final Logger LOG = LoggerFactory.getLogger(BrokerBlock.class);

    private volatile String reason;

    /** The broker's reason while it blocks the relay's connection. */
    public Optional<String> current() {
        return Optional.ofNullable(reason);
    }

    /** What the relay's status says while blocked: {@code connection blocked (<the broker's reason>)}. */
    static String describe(String reason) {
        return "connection blocked (" + reason + ")";
    }

    @Override
    public void onCreate(Connection connection) {
        reason = null;
        connection.getDelegate().addBlockedListener(this::blocked, this::unblocked);
    }

    @Override
    public void onClose(Connection connection) {
        reason = null;
    }

    @Override
    public void onShutDown(ShutdownSignalException signal) {
        reason = null;
    }

    void blocked(String why) {
        LOG.warn("outbox relay: RabbitMQ blocks the connection ({}); nothing is published until it unblocks: free "
                + "memory or disk on the broker", why);
        reason = why == null ? "no reason given" : why;
    }

    void unblocked() {
        if (reason != null) {
            LOG.info("outbox relay: RabbitMQ unblocked the connection; publishing resumes");
        }
        reason = null;
    }
}
