package io.dynamicindex.outbox.api;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.stereotype.Component;

import io.dynamicindex.outbox.relay.OutboxRelay;
import io.dynamicindex.outbox.relay.RelayState;
import io.dynamicindex.outbox.relay.RelayStatus;

/**
 * The {@code outboxRelay} health component: DOWN while the relay is halted at a row it cannot publish;
 * {@link #DEGRADED} while rows wait in {@code outbox_rejected} for an operator, since the relay goes on publishing the
 * rows after them (with {@code degraded} saying how many and what to do); UP otherwise (standing by and backing off
 * are UP, with the reason: another instance may be publishing, and the database or the broker have their own
 * components). The relay's {@code application.properties} orders DEGRADED between OUT_OF_SERVICE and UP and maps it
 * to HTTP 200, so a probe that includes this component does not take a publishing relay out of service. The rejected
 * count is the one the lag refresh last read (every 5 s).
 */
@Component("outboxRelayHealthIndicator")
class RelayHealth implements HealthIndicator {

    /** Publishing, with rows in {@code outbox_rejected} that an operator must fix and re-queue or delete. */
    static final Status DEGRADED = new Status("DEGRADED", "rows wait in outbox_rejected; the relay goes on publishing");

    private final OutboxRelay relay;

    RelayHealth(OutboxRelay relay) {
        this.relay = relay;
    }

    @Override
    public Health health() {
        RelayStatus status = relay.status();
        Health.Builder health = Health.status(status(status));
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

    private static Status status(RelayStatus status) {
        if (status.state() == RelayState.HALTED) {
            return Status.DOWN;
        }
        return status.rejectedRows() > 0 ? DEGRADED : Status.UP;
    }
}
