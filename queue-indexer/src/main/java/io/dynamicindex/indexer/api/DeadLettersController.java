package io.dynamicindex.indexer.api;

import java.security.Principal;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.amqp.AmqpException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.dynamicindex.indexer.deadletter.DeadLetterReplayer;
import io.dynamicindex.management.audit.ChangeAudit;
import io.dynamicindex.indexer.deadletter.DeadLetterStore;
import io.dynamicindex.indexer.deadletter.DeadLetterStore.Selection;
import io.dynamicindex.indexer.deadletter.DeadLetterStore.StoredDeadLetter;

/**
 * {@code /api/v1/dead-letters}: list dead letters (filter by queue, error type, document id, replayed), replay them
 * ({@link DeadLetterReplayer}: confirmed, mandatory, each letter once, in pages), and purge them. A replayed message
 * that fails again comes back as the same row with a new last attempt. Dead letters are the only copy of their
 * messages, so a purge of many needs a filter and either {@code dryRun=true} (count only) or {@code confirm=true}.
 */
@RestController
@RequestMapping("/api/v1/dead-letters")
class DeadLettersController {

    private final DeadLetterStore store;
    private final DeadLetterReplayer replayer;
    private final ChangeAudit audit;

    DeadLettersController(DeadLetterStore store, DeadLetterReplayer replayer, ChangeAudit audit) {
        this.store = store;
        this.replayer = replayer;
        this.audit = audit;
    }

    /** Lists dead letters with their original bytes; the read is audited ({@link ChangeAudit#READ_TYPE}). */
    @GetMapping
    List<StoredDeadLetter> list(@RequestParam(required = false) String queue,
                                @RequestParam(required = false) String errorType,
                                @RequestParam(required = false) String documentId,
                                @RequestParam(required = false) Boolean replayed,
                                @RequestParam(defaultValue = "100") int limit,
                                Principal reader, HttpServletRequest request) {
        List<StoredDeadLetter> letters = store.list(new Selection(queue, errorType, documentId, replayed,
                Math.min(limit, 10_000)));
        audit.recordRead(reader.getName(), request.getRequestURI(), request.getQueryString(), letters.size());
        return letters;
    }

    @PostMapping("/{id}/replay")
    ResponseEntity<Map<String, Object>> replay(@PathVariable long id) {
        if (store.find(id).isEmpty()) {
            return ResponseEntity.status(HttpStatus.NOT_FOUND).build();
        }
        return replayer.replay(id)
                .map(queue -> ResponseEntity.ok(Map.<String, Object>of("id", id, "replayedTo", queue)))
                .orElseGet(() -> ResponseEntity.status(HttpStatus.CONFLICT).body(Map.of("id", id, "detail",
                        "the dead letter is replayed already or being replayed")));
    }

    @PostMapping("/replay")
    Map<String, Object> replayAll(@RequestParam(required = false) String queue,
                                  @RequestParam(required = false) String errorType,
                                  @RequestParam(defaultValue = "1000") int limit) {
        return Map.of("replayed", replayer.replay(new Selection(queue, errorType, null, false, limit), limit));
    }

    @DeleteMapping("/{id}")
    ResponseEntity<Void> purge(@PathVariable long id) {
        return store.purge(id) ? ResponseEntity.noContent().build() : ResponseEntity.notFound().build();
    }

    /**
     * Purges the dead letters that match the filter. Without a filter it answers 400; with {@code dryRun=true} it
     * only counts them (dryRun wins over confirm); without {@code confirm=true} it answers 400 with the count.
     */
    @DeleteMapping
    ResponseEntity<?> purgeAll(@RequestParam(required = false) String queue,
                               @RequestParam(required = false) String errorType,
                               @RequestParam(required = false) Boolean replayed,
                               @RequestParam(defaultValue = "false") boolean dryRun,
                               @RequestParam(defaultValue = "false") boolean confirm) {
        Selection selection = new Selection(queue, errorType, null, replayed, 0);
        if (!selection.filters()) {
            return ResponseEntity.badRequest().body(problem("Purge needs a filter", "a purge needs at least one "
                    + "filter (queue, errorType or replayed): dead letters are the only copy of their messages, so "
                    + "all of them are never deleted at once; purge by filter, or one by one with "
                    + "DELETE /api/v1/dead-letters/{id}"));
        }
        if (dryRun) {
            return ResponseEntity.ok(Map.of("dryRun", true, "matching", store.count(selection)));
        }
        if (!confirm) {
            long matching = store.count(selection);
            ProblemDetail problem = problem("Purge not confirmed", matching + " dead letter(s) match and would be "
                    + "deleted for good; add confirm=true to purge them, or dryRun=true to count them without "
                    + "deleting");
            problem.setProperty("matching", matching);
            return ResponseEntity.badRequest().body(problem);
        }
        return ResponseEntity.ok(Map.of("purged", store.purge(selection)));
    }

    private static ProblemDetail problem(String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, detail);
        problem.setTitle(title);
        return problem;
    }

    @ExceptionHandler(AmqpException.class)
    ResponseEntity<ProblemDetail> brokerUnavailable(AmqpException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
                "the broker did not confirm the replayed message; nothing was marked replayed: " + e.getMessage());
        problem.setTitle("Broker unavailable");
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header("Retry-After", "5").body(problem);
    }

    @ExceptionHandler(DeadLetterReplayer.MissingQueueException.class)
    ResponseEntity<ProblemDetail> missingQueue(DeadLetterReplayer.MissingQueueException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, e.getMessage());
        problem.setTitle("Queue does not exist");
        return ResponseEntity.status(HttpStatus.CONFLICT).body(problem);
    }
}
