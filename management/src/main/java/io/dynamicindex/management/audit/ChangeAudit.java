package io.dynamicindex.management.audit;

import java.util.LinkedHashMap;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.actuate.audit.AuditEvent;
import org.springframework.boot.actuate.audit.AuditEventRepository;

/**
 * Records every change made through the management plane: one INFO line on the {@code io.dynamicindex.audit}
 * logger and one {@link AuditEvent} of type {@value #TYPE} in the daemon's {@link AuditEventRepository} (PostgreSQL
 * where the daemon has one), readable at {@code /actuator/auditevents}. A store that fails is logged at ERROR with
 * the whole record, so the log always keeps it.
 */
public final class ChangeAudit {

    /** The audit event type of a change. */
    public static final String TYPE = "MANAGEMENT_CHANGE";

    private static final Logger LOG = LoggerFactory.getLogger("io.dynamicindex.audit");

    private final AuditEventRepository repository;

    public ChangeAudit(AuditEventRepository repository) {
        this.repository = repository;
    }

    /** A write request as the audit trail keeps it. */
    public record Change(String actor, String method, String path, String query, int status, String body) {
    }

    public void record(Change change) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("method", change.method());
        data.put("path", change.path());
        data.put("query", change.query() == null ? "" : change.query());
        data.put("status", change.status());
        data.put("body", change.body());
        LOG.info("{} {} {}{} -> {} {}", change.actor(), change.method(), change.path(),
                change.query() == null ? "" : "?" + change.query(), change.status(), change.body());
        try {
            repository.add(new AuditEvent(change.actor(), TYPE, data));
        } catch (RuntimeException e) {
            LOG.error("the audit store refused this change, kept in this log only: {} {}", change, e.toString());
        }
    }
}
