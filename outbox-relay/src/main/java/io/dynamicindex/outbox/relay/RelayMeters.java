package io.dynamicindex.outbox.relay;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;

/**
 * The relay's meters: {@code dynamicindex.outbox.published{queue}} and {@code dynamicindex.outbox.possible_duplicates
 * {queue}} count confirmed rows, {@code dynamicindex.outbox.failures} failed batches,
 * {@code dynamicindex.outbox.lag.failures} failed lag queries; the gauges
 * {@code dynamicindex.outbox.lag.rows}, {@code dynamicindex.outbox.lag.seconds} (age of the oldest unpublished row),
 * {@code dynamicindex.outbox.gaps} (ids in pending gaps), {@code dynamicindex.outbox.last_id} and
 * {@code dynamicindex.outbox.state{state}} (1 for the current state) read the relay's status.
 */
final class RelayMeters {

    private final MeterRegistry registry;
    private final Counter failures;
    private final Counter lagFailures;

    RelayMeters(MeterRegistry registry, AtomicReference<RelayStatus> status) {
        this.registry = registry;
        this.failures = registry.counter("dynamicindex.outbox.failures");
        this.lagFailures = registry.counter("dynamicindex.outbox.lag.failures");
        registry.gauge("dynamicindex.outbox.lag.rows", status, s -> s.get().waitingRows());
        registry.gauge("dynamicindex.outbox.lag.seconds", status, s -> s.get().oldestSeconds());
        registry.gauge("dynamicindex.outbox.gaps", status, s -> s.get().pendingIds());
        registry.gauge("dynamicindex.outbox.last_id", status, s -> s.get().lastId());
        for (RelayState state : RelayState.values()) {
            registry.gauge("dynamicindex.outbox.state", List.of(Tag.of("state",
                    state.name().toLowerCase(Locale.ROOT))), status, s -> s.get().state() == state ? 1 : 0);
        }
    }

    void published(List<OutboxRow> rows, long duplicateThrough) {
        for (OutboxRow row : rows) {
            registry.counter("dynamicindex.outbox.published", "queue", row.queue()).increment();
            if (row.id() <= duplicateThrough) {
                registry.counter("dynamicindex.outbox.possible_duplicates", "queue", row.queue()).increment();
            }
        }
    }

    void failed() {
        failures.increment();
    }

    /** A lag query failed; the lag gauges keep their last values. */
    void lagFailed() {
        lagFailures.increment();
    }
}
