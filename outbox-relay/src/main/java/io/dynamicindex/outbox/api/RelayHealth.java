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
 * broker have their own components). Rows waiting in {@code outbox_rejected} leave it UP, since the relay goes on
 * publishing, with {@code degraded} saying how many wait for an operator.
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
                .withDetail("oldestWaitingSeconds", status.oldestSeconds())
                .withDetail("rejectedRows", status.rejectedRows());
        if (status.holder() != null) {
            health.withDetail("holder", status.holder());
        }
        if (status.rejectedRows() > 0) {
            health.withDetail("degraded", status.rejectedRows() + " rejected row(s) wait in outbox_rejected: GET "
                    + "/api/v1/rejected, then fix and re-queue them");
        }
        if (status.reason() != null) {
            health.withDetail("reason", status.reason());
        }
        return health.build();
    }
}
