package io.dynamicindex.management.audit;

import java.util.LinkedHashMap;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.actuate.audit.AuditEvent;
import org.springframework.boot.actuate.audit.AuditEventRepository;

/**
 * Records every change made through the management plane, and every read of stored message payloads (dead
 * letters): one INFO line on the {@code io.dynamicindex.audit} logger and one {@link AuditEvent} of type
 * {@value #TYPE} or {@value #READ_TYPE} in the daemon's {@link AuditEventRepository} (PostgreSQL where the daemon has
 * one, written by {@link QueuedAuditStore}), readable at {@code /actuator/auditevents}. The log line is written
 * before the event is queued, so the log keeps the record whatever happens to the store.
 */
public final class ChangeAudit {

    /** The audit event type of a change. */
    public static final String TYPE = "MANAGEMENT_CHANGE";

    /** The audit event type of a read of stored payloads. */
    public static final String READ_TYPE = "PAYLOAD_READ";

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
        repository.add(new AuditEvent(change.actor(), TYPE, data));
    }

    /** A read that returned stored payloads: who asked, what (path and query) and how many rows it returned. */
    public void recordRead(String actor, String path, String query, int rows) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("path", path);
        data.put("query", query == null ? "" : query);
        data.put("rows", rows);
        LOG.info("{} GET {}{} -> {} payload(s) read", actor, path, query == null ? "" : "?" + query, rows);
        repository.add(new AuditEvent(actor, READ_TYPE, data));
    }
}
