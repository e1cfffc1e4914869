package io.dynamicindex.indexer.api;

import java.util.List;
import java.util.Map;

import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
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

import io.dynamicindex.indexer.deadletter.DeadLetterStore;
import io.dynamicindex.indexer.deadletter.DeadLetterStore.Selection;
import io.dynamicindex.indexer.deadletter.DeadLetterStore.StoredDeadLetter;

/**
 * {@code /api/v1/dead-letters}: list dead letters (filter by queue, error type, document id, replayed), replay them
 * by re-publishing the original bytes to their queue with a publisher confirm and marking them replayed, and purge
 * them. A replayed message that fails again comes back as the same row with a new last attempt.
 */
@RestController
@RequestMapping("/api/v1/dead-letters")
class DeadLettersController {

    private static final long CONFIRM_TIMEOUT_MILLIS = 10_000;

    private final DeadLetterStore store;
    private final RabbitTemplate rabbit;

    DeadLettersController(DeadLetterStore store, ConnectionFactory connectionFactory) {
        this.store = store;
        this.rabbit = new RabbitTemplate(connectionFactory);
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
        return store.find(id)
                .map(letter -> ResponseEntity.ok(Map.<String, Object>of("id", id, "replayedTo", replay(letter))))
                .orElseGet(() -> ResponseEntity.status(HttpStatus.NOT_FOUND).build());
    }

    @PostMapping("/replay")
    Map<String, Object> replayAll(@RequestParam(required = false) String queue,
                                  @RequestParam(required = false) String errorType,
                                  @RequestParam(defaultValue = "1000") int limit) {
        List<StoredDeadLetter> letters = store.list(new Selection(queue, errorType, null, false, limit));
        letters.forEach(this::replay);
        return Map.of("replayed", letters.size());
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

    /** Publishes the original bytes to the letter's queue, waits for the confirm, then marks it replayed. */
    private String replay(StoredDeadLetter letter) {
        byte[] original = store.originalMessage(letter.id());
        rabbit.invoke(operations -> {
            operations.send("", letter.queue(), MessageBuilder.withBody(original)
                    .setContentType("application/json")
                    .setDeliveryMode(MessageDeliveryMode.PERSISTENT)
                    .setHeader("x-replayed-dead-letter", letter.id()).build());
            operations.waitForConfirmsOrDie(CONFIRM_TIMEOUT_MILLIS);
            return null;
        });
        store.markReplayed(letter.id());
        return letter.queue();
    }
}
