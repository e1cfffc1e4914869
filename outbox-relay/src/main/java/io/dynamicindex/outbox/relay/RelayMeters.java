package io.dynamicindex.outbox.relay;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
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
 * {@code dynamicindex.outbox.gaps} (ids in pending gaps), {@code dynamicindex.outbox.last_id},
 * {@code dynamicindex.outbox.rejected.rows} (rows in {@code outbox_rejected}) and
 * {@code dynamicindex.outbox.state{state}} (1 for the current state) read the relay's status;
 * {@code dynamicindex.outbox.rejected{queue,reason}} counts rows moved to {@code outbox_rejected} and
 * {@code dynamicindex.outbox.halts{reason}} the halts at a row.
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
        registry.gauge("dynamicindex.outbox.rejected.rows", status, s -> s.get().rejectedRows());
        for (RelayState state : RelayState.values()) {
            registry.gauge("dynamicindex.outbox.state", List.of(Tag.of("state",
                    state.name().toLowerCase(Locale.ROOT))), status, s -> s.get().state() == state ? 1 : 0);
        }
    }

    /** The rows of a committed batch: the rejected ones by reason, the others as published. */
    void published(List<OutboxRow> rows, List<OutboxStore.Rejection> rejections, long duplicateThrough) {
        Set<Long> rejected = new HashSet<>();
        for (OutboxStore.Rejection rejection : rejections) {
            rejected.add(rejection.row().id());
            registry.counter("dynamicindex.outbox.rejected", "queue", rejection.row().queue(), "reason",
                    rejection.cause()).increment();
        }
        for (OutboxRow row : rows) {
            if (rejected.contains(row.id())) {
                continue;
            }
            registry.counter("dynamicindex.outbox.published", "queue", row.queue()).increment();
            if (row.id() <= duplicateThrough) {
                registry.counter("dynamicindex.outbox.possible_duplicates", "queue", row.queue()).increment();
            }
        }
    }

    void halted(String reason) {
        registry.counter("dynamicindex.outbox.halts", "reason", reason).increment();
    }

    void failed() {
        failures.increment();
    }

    /** A lag query failed; the lag gauges keep their last values. */
    void lagFailed() {
        lagFailures.increment();
    }
}
