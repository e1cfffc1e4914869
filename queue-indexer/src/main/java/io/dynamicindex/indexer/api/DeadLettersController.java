package io.dynamicindex.indexer.api;

import java.util.List;
import java.util.Map;

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
import io.dynamicindex.indexer.deadletter.DeadLetterStore;
import io.dynamicindex.indexer.deadletter.DeadLetterStore.Selection;
import io.dynamicindex.indexer.deadletter.DeadLetterStore.StoredDeadLetter;

/**
 * {@code /api/v1/dead-letters}: list dead letters (filter by queue, error type, document id, replayed), replay them
 * ({@link DeadLetterReplayer}: confirmed, mandatory, each letter once, in pages), and purge them. A replayed message
 * that fails again comes back as the same row with a new last attempt.
 */
@RestController
@RequestMapping("/api/v1/dead-letters")
class DeadLettersController {

    private final DeadLetterStore store;
    private final DeadLetterReplayer replayer;

    DeadLettersController(DeadLetterStore store, DeadLetterReplayer replayer) {
        this.store = store;
        this.replayer = replayer;
    }

    @GetMapping
    List<StoredDeadLetter> list(@RequestParam(required = false) String queue,
                                @RequestParam(required = false) String errorType,
                                @RequestParam(required = false) String documentId,
                                @RequestParam(required = false) Boolean replayed,
                                @RequestParam(defaultValue = "100") int limit) {
        return store.list(new Selection(queue, errorType, documentId, replayed, Math.min(limit, 10_000)));
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

    @DeleteMapping
    Map<String, Object> purgeAll(@RequestParam(required = false) String queue,
                                 @RequestParam(required = false) String errorType,
                                 @RequestParam(required = false) Boolean replayed) {
        return Map.of("purged", store.purge(new Selection(queue, errorType, null, replayed, 0)));
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
