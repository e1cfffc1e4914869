package io.dynamicindex.indexer.rebuild;

import java.util.LinkedHashMap;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.actuate.audit.AuditEvent;
import org.springframework.boot.actuate.audit.AuditEventRepository;

/**
 * Records a loss an operator allowed (the first rebuild of a concrete index with documents the archive has no row
 * for): one WARN line, and one audit event of type {@value #TYPE} in the daemon's audit trail beside its management
 * changes (the command line writes the same trail). A store that fails is logged at ERROR with the record.
 */
final class LossAudit {

    /** The audit event type of an allowed loss. */
    static final String TYPE = "REBUILD_LOSS_ALLOWED";

    private static final Logger LOG = LoggerFactory.getLogger(LossAudit.class);

    private final AuditEventRepository repository;

    /** @param repository the audit trail, or null when the process has none (the log keeps the record then) */
    LossAudit(AuditEventRepository repository) {
        this.repository = repository;
    }

    void record(String actor, String alias, Unarchived loss) {
        LOG.warn("{}: {} allowed the rebuild to drop {} document(s) the archive has no row for, with index {} in the "
                + "switch: {}", alias, actor, loss.count(), alias, loss.describe(alias));
        if (repository == null) {
            return;
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("alias", alias);
        data.put("liveDocuments", loss.live());
        data.put("archiveRows", loss.archived());
        data.put("unarchived", loss.count());
        data.put("ids", loss.sample());
        data.put("idsComplete", loss.sample().size() == loss.count());
        try {
            repository.add(new AuditEvent(actor, TYPE, data));
        } catch (RuntimeException e) {
            LOG.error("{}: the audit store refused the allowed loss, kept in this log only: {} {}", alias, data,
                    e.toString());
        }
    }
}
