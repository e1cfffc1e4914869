package io.dynamicindex.e2e;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

import io.dynamicindex.infra.ElasticsearchEndpoint;

/**
 * A partner that sends a steady stream of change requests, one at a time, and retries each refused or unanswered
 * request with the same Idempotency-Key until it is accepted, as the retry contract asks. The sequential model holds
 * what applying every accepted change in order gives: a request's changes enter the queue in order, and a request is
 * only sent after the previous one was accepted, so acceptance order is queue order (a refused attempt may have
 * queued some changes already; they come before the accepted copy and are overwritten by it).
 */
final class ChaosPartner implements Runnable {

    private static final int DOCUMENTS = 300;
    private static final int CHANGES_PER_REQUEST = 20;
    private static final Duration PACE = Duration.ofMillis(50);
    private static final Duration RETRY_PAUSE = Duration.ofMillis(200);

    private final ChaosPipeline pipeline;
    private final String index;
    private final Random random;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Map<String, Map<String, Object>> model = new TreeMap<>();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong attempts = new AtomicLong();
    private volatile boolean running = true;
    private volatile Throwable failure;
    private volatile long longestRefusalNanos;
    private int sequence;

    ChaosPartner(ChaosPipeline pipeline, String index, Random random) {
        this.pipeline = pipeline;
        this.index = index;
        this.random = random;
    }

    @Override
    public void run() {
        try {
            while (running) {
                Map<String, Integer> changes = nextChanges();
                deliver(body(changes), "chaos-" + requests.incrementAndGet());
                applyToModel(changes);
                Thread.sleep(PACE.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            failure = e;
        }
    }

    /** What ended the partner's thread other than {@link #stop()}: an unexpected answer, a bug; null if nothing. */
    Throwable failure() {
        return failure;
    }

    /** The longest time one request waited from its first refused or unanswered attempt until it was accepted. */
    Duration longestRefusal() {
        return Duration.ofNanos(longestRefusalNanos);
    }

    void stop() {
        running = false;
    }

    synchronized Map<String, Map<String, Object>> model() {
        return new TreeMap<>(model);
    }

    long sent() {
        return sent.get();
    }

    long accepted() {
        return accepted.get();
    }

    long requests() {
        return requests.get();
    }

    long attempts() {
        return attempts.get();
    }

    /** Document id to its new seq, or -1 for a delete, in the request's order (one change per document). */
    private Map<String, Integer> nextChanges() {
        Map<String, Integer> changes = new LinkedHashMap<>();
        while (changes.size() < CHANGES_PER_REQUEST) {
            String id = "D" + random.nextInt(DOCUMENTS);
            changes.putIfAbsent(id, random.nextInt(5) == 0 ? -1 : ++sequence);
        }
        return changes;
    }

    private String body(Map<String, Integer> changes) {
        StringBuilder ndjson = new StringBuilder();
        changes.forEach((id, seq) -> {
            ndjson.append("{\"action\":\"").append(seq < 0 ? "delete" : "index").append("\",\"index\":\"")
                    .append(index).append("\",\"id\":\"").append(id).append('"');
            if (seq >= 0) {
                ndjson.append(",\"doc\":{\"seq\":").append(seq).append('}');
            }
            ndjson.append("}\n");
        });
        sent.addAndGet(changes.size());
        return ndjson.toString();
    }

    /** Sends until accepted; the same Idempotency-Key on every attempt. */
    private void deliver(String body, String idempotencyKey) throws InterruptedException {
        long firstRefusal = 0;
        while (true) {
            attempts.incrementAndGet();
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(pipeline.serverUrl()
                                + "/api/v1/queues/" + pipeline.source() + "/messages"))
                        .timeout(Duration.ofSeconds(15)).header("X-API-Key", ChaosPipeline.KEY)
                        .header("Content-Type", "application/x-ndjson").header("Idempotency-Key", idempotencyKey)
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 202) {
                    accepted.addAndGet(CHANGES_PER_REQUEST);
                    if (firstRefusal != 0) {
                        longestRefusalNanos = Math.max(longestRefusalNanos, System.nanoTime() - firstRefusal);
                    }
                    return;
                }
                if (response.statusCode() != 503) {
                    throw new IllegalStateException("unexpected answer " + response.statusCode() + ": "
                            + response.body());
                }
            } catch (java.io.IOException e) {
                // the server is restarting or the connection broke: retry like a partner would
            }
            firstRefusal = firstRefusal == 0 ? System.nanoTime() : firstRefusal;
            Thread.sleep(RETRY_PAUSE.toMillis());
        }
    }

    /** What the index holds, in the model's form: id to {@code {"seq": n}}. */
    static Map<String, Map<String, Object>> documents(ElasticsearchEndpoint elasticsearch, String index) {
        elasticsearch.call("POST", "/" + index + "/_refresh", null);
        String body = elasticsearch.call("GET", "/" + index + "/_search?size=10000", null).body();
        Map<String, Map<String, Object>> documents = new TreeMap<>();
        for (var hit : ChaosPipeline.JSON.readTree(body).path("hits").path("hits")) {
            documents.put(hit.path("_id").asString(), Map.of("seq", hit.path("_source").path("seq").asInt()));
        }
        return documents;
    }

    private synchronized void applyToModel(Map<String, Integer> changes) {
        changes.forEach((id, seq) -> {
            if (seq < 0) {
                model.remove(id);
            } else {
                model.put(id, Map.of("seq", seq));
            }
        });
    }
}
