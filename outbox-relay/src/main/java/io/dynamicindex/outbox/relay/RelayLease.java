package io.dynamicindex.outbox.relay;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.LockProvider;
import net.javacrumbs.shedlock.core.SimpleLock;

/**
 * The relay's lease, as the scheduler's route lease: a ShedLock lock in {@code outbox_relay_lease}, compared in
 * database time and marked with this instance's id, that the holder renews every third of the lease, so it keeps
 * the relay while it lives. When the holder dies, its lock runs out {@code lease} after its last renewal and the next
 * instance to ask takes it. The lease decides who tries to publish; the fence that no two instances publish at once
 * is the offset row's lock and holder (see {@link OutboxRelay}). Used by the relay thread only.
 */
final class RelayLease {

    private static final String NAME = "outbox-relay";

    private final LockProvider locks;
    private final Duration lease;
    private final long renewEveryNanos;
    private SimpleLock held;
    private long renewedAt;

    RelayLease(LockProvider locks, Duration lease) {
        this.locks = locks;
        this.lease = lease;
        this.renewEveryNanos = lease.toNanos() / 3;
    }

    /**
     * Renews the lease when a third of it has passed since the last renewal, or takes it if no one holds it.
     *
     * @return whether this instance holds the lease
     * @throws RuntimeException when the database cannot be asked; the lease is then not known to be held
     */
    boolean hold() {
        if (held != null && System.nanoTime() - renewedAt < renewEveryNanos) {
            return true;
        }
        if (held != null) {
            Optional<SimpleLock> renewed = held.extend(lease, Duration.ZERO);
            held = renewed.orElse(null);
        }
        if (held == null) {
            held = locks.lock(new LockConfiguration(Instant.now(), NAME, lease, Duration.ZERO)).orElse(null);
        }
        renewedAt = System.nanoTime();
        return held != null;
    }

    /** Hands the relay over at once, for a graceful stop. Harmless when the lease already ran out or moved on. */
    void release() {
        if (held != null) {
            try {
                held.unlock();
            } finally {
                held = null;
            }
        }
    }
}
