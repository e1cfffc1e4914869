package io.dynamicindex.management.audit;

import java.time.Instant;
import java.util.List;

import org.springframework.boot.actuate.audit.AuditEvent;
import org.springframework.boot.actuate.audit.AuditEventRepository;

/**
 * Keeps what an operator needs from Spring Security's audit events, the refusals (failed authentication, denied
 * authorization) and the changes, and leaves out each successful authentication, which every read of a polling
 * console or a Prometheus scrape would add.
 */
public final class RefusalsAndChanges implements AuditEventRepository, AutoCloseable {

    private static final String AUTHENTICATION_SUCCESS = "AUTHENTICATION_SUCCESS";

    private final QueuedAuditStore store;

    public RefusalsAndChanges(QueuedAuditStore store) {
        this.store = store;
    }

    @Override
    public void add(AuditEvent event) {
        if (!AUTHENTICATION_SUCCESS.equals(event.getType())) {
            store.add(event);
        }
    }

    @Override
    public List<AuditEvent> find(String principal, Instant after, String type) {
        return store.find(principal, after, type);
    }

    @Override
    public void close() throws InterruptedException {
        store.close();
    }
}
