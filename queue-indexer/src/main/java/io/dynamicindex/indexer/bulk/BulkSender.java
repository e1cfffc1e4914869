package io.dynamicindex.indexer.bulk;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import io.dynamicindex.indexer.document.IndexOperation;
import io.dynamicindex.indexer.document.Phase;
import io.dynamicindex.indexer.health.PipelineState;
import io.dynamicindex.indexer.health.QueueStatus;

/**
 * Applies the operations of one bulk phase and returns a final outcome for each: applied, stale, dead-letter or
 * drop. Every failure is sorted by the queue's {@link RetryPolicy}; items to retry or to hold (halt) are resent, only
 * they, with the shared back-off, until they settle, while the queue's status says BACKING_OFF or HALTED. A request
 * answered 413 is split in halves before anything else. Elasticsearch being down or refusing the whole request never
 * turns data into dead letters. Only an interrupt (shutdown) ends the retrying.
 */
public final class BulkSender {

    private static final Logger LOG = LoggerFactory.getLogger(BulkSender.class);
    private static final int WARN_EVERY_ATTEMPTS = 10;

    private final String queue;
    private final BulkTransport transport;
    private final BulkRequestBody requestBody;
    private final BulkResponseReader responseReader;
    private final RetryPolicy policy;
    private final QueueStatus status;
    private final MeterRegistry meters;
    private final boolean versions;

    public BulkSender(String queue, BulkTransport transport, JsonMapper json, RetryPolicy policy,
                      QueueStatus status, MeterRegistry meters) {
        this(queue, transport, json, policy, status, meters, false);
    }

    /** @param versions whether the answers must name each applied item's {@code _version} (a queue's archive) */
    public BulkSender(String queue, BulkTransport transport, JsonMapper json, RetryPolicy policy,
                      QueueStatus status, MeterRegistry meters, boolean versions) {
        this.versions = versions;
        this.queue = queue;
        this.transport = transport;
        this.requestBody = new BulkRequestBody(json);
        this.responseReader = new BulkResponseReader(json, policy.errors());
        this.policy = policy;
        this.status = status;
        this.meters = meters;
    }

    String queue() {
        return queue;
    }

    public List<ItemOutcome> apply(Phase phase, List<IndexOperation> operations) throws InterruptedException {
        ItemOutcome[] finals = new ItemOutcome[operations.size()];
        List<Integer> pending = indexes(operations.size());
        long started = policy.clock().millis();
        String source = Thread.currentThread().getName();
        try {
            for (int attempt = 1; !pending.isEmpty(); attempt++) {
                List<ItemOutcome> outcomes = timed(phase, pending.stream().map(operations::get).toList());
                boolean spent = policy.spent(attempt, started);
                List<Integer> again = new ArrayList<>();
                ItemOutcome worst = null;
                for (int i = 0; i < outcomes.size(); i++) {
                    ItemOutcome outcome = outcomes.get(i);
                    if (spent && outcome.status() == ItemOutcome.Status.RETRY) {
                        outcome = policy.exhausted(outcome, attempt);
                    }
                    if (outcome.isHeld()) {
                        again.add(pending.get(i));
                        worst = worst == null || outcome.status() == ItemOutcome.Status.HALT ? outcome : worst;
                    } else {
                        finals[pending.get(i)] = outcome;
                    }
                }
                if (worst != null) {
                    waitBeforeRetry(source, phase, attempt, again.size(), worst);
                }
                pending = again;
            }
        } finally {
            status.clear(source);
        }
        return List.of(finals);
    }

    private List<ItemOutcome> timed(Phase phase, List<IndexOperation> batch) {
        Timer.Sample sample = Timer.start(meters);
        try {
            return attempt(batch);
        } finally {
            sample.stop(meters.timer("dynamicindex.indexer.bulk", "queue", queue, "phase", phase.name()));
        }
    }

    private List<ItemOutcome> attempt(List<IndexOperation> batch) {
        byte[] body = requestBody.write(batch);
        BulkTransport.Response response;
        try {
            response = versions ? transport.sendAnsweringVersions(body) : transport.send(body);
        } catch (IOException | RuntimeException e) {
            return same(batch, ErrorPolicy.CONNECTION_ERROR, policy.errors().forKey(ErrorPolicy.CONNECTION_ERROR),
                    e.toString());
        }
        int code = response.status();
        if (code == 413 && batch.size() > 1) {
            return split(batch);
        }
        if (code < 200 || code >= 300) {
            return same(batch, "request_" + code, policy.errors().forRequest(code),
                    "bulk request answered " + code + ": " + snippet(response.body()));
        }
        try {
            return responseReader.read(batch, response.body());
        } catch (RuntimeException e) {
            return same(batch, ErrorPolicy.INVALID_RESPONSE, policy.errors().forKey(ErrorPolicy.INVALID_RESPONSE),
                    "a " + code + " answer that is not a bulk response (" + e.getMessage() + "): "
                            + snippet(response.body()));
        }
    }

    /** Sends the two halves of a batch that was too large for Elasticsearch, one after the other. */
    private List<ItemOutcome> split(List<IndexOperation> batch) {
        meters.counter("dynamicindex.indexer.bulk.splits", "queue", queue).increment();
        int half = batch.size() / 2;
        List<ItemOutcome> outcomes = new ArrayList<>(attempt(batch.subList(0, half)));
        outcomes.addAll(attempt(batch.subList(half, batch.size())));
        return outcomes;
    }

    private static List<ItemOutcome> same(List<IndexOperation> batch, String key, ErrorAction action,
                                          String reason) {
        return Collections.nCopies(batch.size(), ItemOutcome.of(action, key, reason));
    }

    private void waitBeforeRetry(String source, Phase phase, int attempt, int held, ItemOutcome worst)
            throws InterruptedException {
        meters.counter("dynamicindex.indexer.bulk.retries", "queue", queue, "phase", phase.name(),
                "error_type", worst.errorType()).increment(held);
        PipelineState state = worst.status() == ItemOutcome.Status.HALT ? PipelineState.HALTED
                : PipelineState.BACKING_OFF;
        status.report(source, state, phase + " " + worst.errorType() + ": " + worst.reason());
        Duration delay = policy.backoff().delay(attempt - 1);
        if (attempt % WARN_EVERY_ATTEMPTS == 1) {
            LOG.warn("{}: {} item(s) of phase {} not applied ({}: {}); attempt {}, next in {} ms", queue, held, phase,
                    worst.errorType(), worst.reason(), attempt, delay.toMillis());
        }
        policy.sleeper().sleep(delay);
    }

    private static List<Integer> indexes(int size) {
        List<Integer> indexes = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            indexes.add(i);
        }
        return indexes;
    }

    private static String snippet(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }
}
