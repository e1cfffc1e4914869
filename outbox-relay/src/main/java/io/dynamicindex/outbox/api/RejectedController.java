package io.dynamicindex.outbox.api;

import java.security.Principal;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.dynamicindex.management.audit.ChangeAudit;
import io.dynamicindex.outbox.relay.OutboxRelay;
import io.dynamicindex.outbox.relay.RejectedRow;

/**
 * The rows the relay moved to {@code outbox_rejected}: {@code GET /api/v1/rejected?limit=} lists them (viewer role),
 * lowest ids first, payloads included, so each read is audited ({@link ChangeAudit#READ_TYPE}); {@code POST /api/v1/rejected/{id}/requeue} and {@code POST /api/v1/rejected/requeue} (operator
 * role, audited as every management write) insert one or all of them back into the outbox as new rows, after what
 * is already there, so that they go through the normal path; fix the cause first (declare the queue, raise the
 * message size, allow the index) or the relay rejects them again.
 */
@RestController
class RejectedController {

    private static final Logger LOG = LoggerFactory.getLogger(RejectedController.class);
    private static final int MAX_LIMIT = 1_000;

    private final OutboxRelay relay;
    private final ChangeAudit audit;

    RejectedController(OutboxRelay relay, ChangeAudit audit) {
        this.relay = relay;
        this.audit = audit;
    }

    @GetMapping("/api/v1/rejected")
    ResponseEntity<?> list(@RequestParam(defaultValue = "100") int limit, Principal reader,
                           HttpServletRequest request) {
        if (limit < 1 || limit > MAX_LIMIT) {
            return problem(HttpStatus.BAD_REQUEST, "Bad limit", "limit must be 1.." + MAX_LIMIT + ", was " + limit);
        }
        List<RejectedRow> rows = relay.store().rejected(limit);
        audit.recordRead(reader.getName(), request.getRequestURI(), request.getQueryString(), rows.size());
        return ResponseEntity.ok(rows);
    }

    @PostMapping("/api/v1/rejected/{id}/requeue")
    ResponseEntity<?> requeueOne(@PathVariable long id) {
        int requeued = relay.store().requeue(id);
        if (requeued == 0) {
            return problem(HttpStatus.NOT_FOUND, "No such rejected row", "outbox_rejected holds no row " + id);
        }
        LOG.info("outbox relay: rejected row {} re-queued into the outbox", id);
        return ResponseEntity.ok(Map.of("requeued", requeued));
    }

    private static ResponseEntity<ProblemDetail> problem(HttpStatus status, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        return ResponseEntity.status(status).body(problem);
    }

    @PostMapping("/api/v1/rejected/requeue")
    Map<String, Integer> requeueAll() {
        int requeued = relay.store().requeue(null);
        LOG.info("outbox relay: {} rejected row(s) re-queued into the outbox", requeued);
        return Map.of("requeued", requeued);
    }
}
