package io.dynamicindex.scheduler.lease;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.LockProvider;
import net.javacrumbs.shedlock.core.SimpleLock;

/**
 * The lease of one route: a ShedLock lock that this instance takes on a tick and renews on each later tick, so that
 * it keeps the route for as long as it lives and ticks. Only the holder moves the route. When the holder dies, its
 * lock runs out {@code lease} after its last renewal, and the next instance to tick takes it. Lock times are
 * database times, so the clocks of the instances do not matter. Used by the route's tick thread only, and by
 * {@link #release()} after that thread has ended.
 */
public final class RouteLease {

    private final LockProvider locks;
    private final String name;
    private final Duration lease;
    private volatile SimpleLock held;

    public RouteLease(LockProvider locks, String route, Duration lease) {
        this.locks = locks;
        this.name = "route:" + route;
        this.lease = lease;
    }

    /**
     * Renews the lease this instance holds, or takes it if no one holds it. Either way it then lasts {@code lease}
     * from now.
     *
     * @return whether this instance holds the lease; false when another instance holds it
     * @throws RuntimeException when the database cannot be asked; the lease is then not known to be held
     */
    public boolean acquire() {
        if (held != null) {
            Optional<SimpleLock> renewed = held.extend(lease, Duration.ZERO);
            held = renewed.orElse(null);
            if (held != null) {
                return true;
            }
        }
        held = locks.lock(new LockConfiguration(Instant.now(), name, lease, Duration.ZERO)).orElse(null);
        return held != null;
    }

    /** Hands the route over at once, for a graceful stop. Harmless when the lease already ran out or moved on. */
    public void release() {
        if (held != null) {
            try {
                held.unlock();
            } finally {
                held = null;
            }
        }
    }
}
