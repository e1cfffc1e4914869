package io.dynamicindex.server.api;

import java.net.URI;
import java.util.Locale;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import io.dynamicindex.server.config.QueueServerProperties;
import io.dynamicindex.server.publish.BrokerUnavailableException;

/** Turns refusals into RFC 9457 problem answers and counts them by status. */
@RestControllerAdvice
class ApiExceptionHandler {

    private final MeterRegistry meters;
    private final String retryAfterSeconds;

    ApiExceptionHandler(MeterRegistry meters, QueueServerProperties properties) {
        this.meters = meters;
        this.retryAfterSeconds = String.valueOf(Math.max(1, properties.retryAfter().toSeconds()));
    }

    @ExceptionHandler(ApiException.class)
    ResponseEntity<ProblemDetail> refused(ApiException e) {
        return problem(e.status(), e.title(), e.getMessage()).build();
    }

    @ExceptionHandler(BrokerUnavailableException.class)
    ResponseEntity<ProblemDetail> brokerUnavailable(BrokerUnavailableException e) {
        Answer answer = problem(HttpStatus.SERVICE_UNAVAILABLE, "Broker unavailable", explain(e.cause())
                + " Retry the whole request later, with the same Idempotency-Key if you sent one: some messages may "
                + "already be queued, and sending them again is safe, since operations are idempotent by id.");
        answer.problem().setProperty("cause", e.cause().label());
        return answer.header(HttpHeaders.RETRY_AFTER, retryAfterSeconds).build();
    }

    private static String explain(BrokerUnavailableException.Cause cause) {
        return switch (cause) {
            case ALARM -> "The broker blocks publishing because of a resource alarm (memory or disk).";
            case UNROUTABLE -> "The broker could not route the messages: the queue does not exist on the broker.";
            case TIMEOUT -> "The broker did not confirm the messages within the confirm timeout.";
            case UNAVAILABLE -> "The broker is unreachable or refused the messages.";
        };
    }

    /** Counts the refusal by status and reason, and starts an RFC 9457 answer; headers may still be added. */
    private Answer problem(HttpStatus status, String title, String detail) {
        meters.counter("dynamicindex.server.rejected", "status", String.valueOf(status.value()),
                "reason", title.toLowerCase(Locale.ROOT).replace(' ', '_')).increment();
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        problem.setType(URI.create("https://dynamic-index.io/problems/" + status.value()));
        return new Answer(ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON), problem);
    }

    /** A problem answer under construction. */
    private record Answer(ResponseEntity.BodyBuilder builder, ProblemDetail problem) {

        Answer header(String name, String value) {
            builder.header(name, value);
            return this;
        }

        ResponseEntity<ProblemDetail> build() {
            return builder.body(problem);
        }
    }
}
