package io.dynamicindex.outbox.api;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

import io.dynamicindex.outbox.relay.OutboxRelay;
import io.dynamicindex.outbox.relay.RelayState;
import io.dynamicindex.outbox.relay.RelayStatus;

/**
 * The {@code outboxRelay} health component: DOWN while the relay is halted at a row it cannot publish, UP otherwise
 * (standing by and backing off are UP, with the reason: another instance may be publishing, and the database or the
 * broker have their own components).
 */
@Component("outboxRelayHealthIndicator")
class RelayHealth implements HealthIndicator {

    private final OutboxRelay relay;

    RelayHealth(OutboxRelay relay) {
        this.relay = relay;
    }

    @Override
    public Health health() {
        RelayStatus status = relay.status();
        Health.Builder health = status.state() == RelayState.HALTED ? Health.down() : Health.up();
        health.withDetail("state", status.state()).withDetail("since", status.since())
                .withDetail("instance", status.instance()).withDetail("lastId", status.lastId())
                .withDetail("pendingGapIds", status.pendingIds()).withDetail("waitingRows", status.waitingRows())
                .withDetail("oldestWaitingSeconds", status.oldestSeconds());
        if (status.holder() != null) {
            health.withDetail("holder", status.holder());
        }
        if (status.reason() != null) {
            health.withDetail("reason", status.reason());
        }
        return health.build();
    }
}
