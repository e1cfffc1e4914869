package io.dynamicindex.management.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.audit.AuditEvent;
import org.springframework.boot.actuate.audit.AuditEventRepository;

/** Every audit event is stored, or counted by the reason it was not: the queue was full, or the store refused it. */
class QueuedAuditStoreTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    @Test
    void storesEventsOnItsOwnThread() throws Exception {
        List<String> stored = new CopyOnWriteArrayList<>();
        try (QueuedAuditStore store = new QueuedAuditStore(recording(stored), 10, meters)) {
            store.add(event("a"));
            store.add(event("b"));

            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(stored).containsExactly("a", "b"));
        }
        assertThat(dropped("queue_full") + dropped("store_failed")).isZero();
    }

    @Test
    void countsAnEventDroppedByAFullQueue() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<String> stored = new CopyOnWriteArrayList<>();
        AuditEventRepository blocked = recording(stored, release);
        try (QueuedAuditStore store = new QueuedAuditStore(blocked, 1, meters)) {
            store.add(event("held"));
            await().atMost(Duration.ofSeconds(5)).until(() -> meters.get("dynamicindex.management.audit.queued")
                    .gauge().value() == 0);
            store.add(event("queued"));
            store.add(event("dropped"));
            release.countDown();

            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(stored)
                    .containsExactly("held", "queued"));
        }
        assertThat(dropped("queue_full")).isEqualTo(1);
    }

    @Test
    void countsAnEventTheStoreRefuses() throws Exception {
        AuditEventRepository refusing = new AuditEventRepository() {
            @Override
            public void add(AuditEvent event) {
                throw new IllegalStateException("canceling statement due to statement timeout");
            }

            @Override
            public List<AuditEvent> find(String principal, Instant after, String type) {
                return List.of();
            }
        };
        try (QueuedAuditStore store = new QueuedAuditStore(refusing, 10, meters)) {
            store.add(event("refused"));

            await().atMost(Duration.ofSeconds(5)).until(() -> dropped("store_failed") == 1);
        }
        assertThat(dropped("queue_full")).isZero();
    }

    private double dropped(String reason) {
        return meters.get(QueuedAuditStore.DROPPED).tag("reason", reason).counter().count();
    }

    private static AuditEvent event(String principal) {
        return new AuditEvent(principal, "AUTHENTICATION_FAILURE", Map.of());
    }

    private static AuditEventRepository recording(List<String> stored) {
        CountDownLatch open = new CountDownLatch(0);
        return recording(stored, open);
    }

    /** A store that records each event's principal, the first only once {@code release} is counted down. */
    private static AuditEventRepository recording(List<String> stored, CountDownLatch release) {
        return new AuditEventRepository() {
            @Override
            public void add(AuditEvent event) {
                try {
                    release.await(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                stored.add(event.getPrincipal());
            }

            @Override
            public List<AuditEvent> find(String principal, Instant after, String type) {
                return List.of();
            }
        };
    }
}
