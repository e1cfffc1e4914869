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

import io.dynamicindex.common.Backoff;
import io.dynamicindex.indexer.document.IndexOperation;
import io.dynamicindex.indexer.document.Phase;

/**
 * Applies the operations of one bulk phase and returns a final outcome for each: applied, stale or permanent.
 * Retryable failures (no response, 429, 5xx, per item or for the whole request) are retried with full-jitter
 * back-off, resending only the items that failed, for as long as it takes: Elasticsearch being down must never
 * turn data into dead letters. Only an interrupt (shutdown) ends the retrying.
 */
public final class BulkSender {

    /** Waits between attempts; injected so that unit tests do not sleep. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    private static final Logger LOG = LoggerFactory.getLogger(BulkSender.class);
    private static final int WARN_EVERY_ATTEMPTS = 10;

    private final String queue;
    private final BulkTransport transport;
    private final BulkRequestBody requestBody;
    private final BulkResponseReader responseReader;
    private final Backoff backoff;
    private final Sleeper sleeper;
    private final MeterRegistry meters;

    public BulkSender(String queue, BulkTransport transport, JsonMapper json, Backoff backoff, Sleeper sleeper,
                      MeterRegistry meters) {
        this.queue = queue;
        this.transport = transport;
        this.requestBody = new BulkRequestBody(json);
        this.responseReader = new BulkResponseReader(json);
        this.backoff = backoff;
        this.sleeper = sleeper;
        this.meters = meters;
    }

    String queue() {
        return queue;
    }

    public List<ItemOutcome> apply(Phase phase, List<IndexOperation> operations) throws InterruptedException {
        ItemOutcome[] finals = new ItemOutcome[operations.size()];
        List<Integer> pending = indexes(operations.size());
        for (int attempt = 0; !pending.isEmpty(); attempt++) {
            List<IndexOperation> batch = pending.stream().map(operations::get).toList();
            List<ItemOutcome> outcomes = timed(phase, batch);
            List<Integer> retry = new ArrayList<>();
            for (int i = 0; i < outcomes.size(); i++) {
                if (outcomes.get(i).status() == ItemOutcome.Status.RETRY) {
                    retry.add(pending.get(i));
                } else {
                    finals[pending.get(i)] = outcomes.get(i);
                }
            }
            if (!retry.isEmpty()) {
                waitBeforeRetry(phase, attempt, retry.size(), outcomes);
            }
            pending = retry;
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
        try {
            BulkTransport.Response response = transport.send(requestBody.write(batch));
            int status = response.status();
            if (status >= 200 && status < 300) {
                return responseReader.read(batch, response.body());
            }
            String reason = "bulk request answered " + status + ": " + snippet(response.body());
            ItemOutcome outcome = status == 429 || status >= 500
                    ? ItemOutcome.retry("http_" + status, reason)
                    : ItemOutcome.permanent("http_" + status, reason);
            return Collections.nCopies(batch.size(), outcome);
        } catch (IOException e) {
            return Collections.nCopies(batch.size(), ItemOutcome.retry(e.getClass().getSimpleName(),
                    String.valueOf(e.getMessage())));
        }
    }

    private void waitBeforeRetry(Phase phase, int attempt, int failed, List<ItemOutcome> outcomes)
            throws InterruptedException {
        Duration delay = backoff.delay(attempt);
        meters.counter("dynamicindex.indexer.bulk.retries", "queue", queue, "phase", phase.name())
                .increment(failed);
        ItemOutcome example = outcomes.stream().filter(o -> o.status() == ItemOutcome.Status.RETRY).findFirst()
                .orElseThrow();
        if (attempt % WARN_EVERY_ATTEMPTS == 0) {
            LOG.warn("{}: {} of {} item(s) of phase {} failed ({}: {}); attempt {}, retrying in {} ms", queue,
                    failed, outcomes.size(), phase, example.errorType(), example.reason(), attempt + 1,
                    delay.toMillis());
        }
        sleeper.sleep(delay);
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
