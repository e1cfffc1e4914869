package io.dynamicindex.server.publish;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.rabbit.connection.ConnectionBlockedEvent;
import org.springframework.amqp.rabbit.connection.ConnectionUnblockedEvent;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Whether the broker blocks our publishing connection because of a resource alarm (memory or disk), from the
 * {@code connection.blocked} and {@code connection.unblocked} notifications Spring AMQP turns into events. While
 * blocked, publishes would only wait, so the publisher refuses them at once (503, cause {@code alarm}); the health
 * component {@code brokerAlarm} is DOWN with the broker's reason.
 */
@Component("brokerAlarm")
public class BrokerAlarm implements HealthIndicator {

    private static final Logger LOG = LoggerFactory.getLogger(BrokerAlarm.class);

    private final AtomicReference<String> reason = new AtomicReference<>();

    @EventListener
    void blocked(ConnectionBlockedEvent event) {
        LOG.warn("the broker blocks publishing ({}): answering 503 until it unblocks; free memory or disk on the "
                + "broker", event.getReason());
        reason.set(event.getReason());
    }

    @EventListener
    void unblocked(ConnectionUnblockedEvent event) {
        if (reason.getAndSet(null) != null) {
            LOG.info("the broker accepts publishes again");
        }
    }

    /** The broker's reason while it blocks publishing. */
    public Optional<String> current() {
        return Optional.ofNullable(reason.get());
    }

    @Override
    public Health health() {
        return current().map(why -> Health.down().withDetail("blocked", why).build())
                .orElseGet(() -> Health.up().build());
    }
}
