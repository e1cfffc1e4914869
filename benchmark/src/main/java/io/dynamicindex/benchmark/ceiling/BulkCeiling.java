package io.dynamicindex.benchmark.ceiling;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import io.dynamicindex.benchmark.measure.Progress;
import io.dynamicindex.benchmark.report.Ceiling;
import io.dynamicindex.benchmark.workload.WorkloadGenerator;
import io.dynamicindex.infra.ElasticsearchEndpoint;
import io.dynamicindex.infra.TestNames;

/**
 * The direct _bulk ceiling: the same generated documents, with explicit ids over the same key space, loaded straight
 * into a fresh index (1 shard, 0 replicas, default 1 s refresh, as the indexer's index) for each batch size and
 * number of requests in flight. The best configuration is the ceiling. Each configuration runs on threads
 * {@code bulk-ceiling-N} that it owns and joins.
 */
public final class BulkCeiling {

    private final ElasticsearchEndpoint elasticsearch;
    private final WorkloadGenerator generator;
    private final Progress progress;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final AtomicLong documentsLoaded = new AtomicLong();

    public BulkCeiling(ElasticsearchEndpoint elasticsearch, WorkloadGenerator generator, Progress progress) {
        this.elasticsearch = elasticsearch;
        this.generator = generator;
        this.progress = progress;
    }

    public Ceiling measure(List<Integer> batchSizes, List<Integer> concurrencies, Duration each, Duration warmup)
            throws InterruptedException {
        load(1000, 2, warmup);
        Map<String, Object> grid = new LinkedHashMap<>();
        String best = null;
        double bestRate = 0;
        for (int batch : batchSizes) {
            for (int inFlight : concurrencies) {
                double rate = load(batch, inFlight, each);
                String name = "batch " + batch + " x " + inFlight + " in flight";
                grid.put(name, rate);
                progress.update(name + ": " + Math.round(rate) + " docs/s");
                if (rate > bestRate) {
                    bestRate = rate;
                    best = name;
                }
            }
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("best", best);
        details.put("grid", grid);
        details.put("documentsLoaded", documentsLoaded.get());
        return new Ceiling("elasticsearch-bulk", "direct _bulk of the same ~400 B documents, best of batch sizes "
                + batchSizes + " x requests in flight " + concurrencies + ": " + best, bestRate, details);
    }

    /**
     * Loads a fresh index for the duration and returns documents per second. The index and its mapping are made by
     * one small bulk before the clock starts, so that their creation is not counted.
     */
    private double load(int batchSize, int inFlight, Duration duration) throws InterruptedException {
        String index = TestNames.unique("bench_ceiling");
        AtomicLong documents = new AtomicLong();
        AtomicReference<String> error = new AtomicReference<>();
        sendOne(index, 1, new AtomicLong(), error);
        long end = System.nanoTime() + duration.toNanos();
        long started = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < inFlight; i++) {
            Thread thread = new Thread(() -> sendUntil(end, index, batchSize, documents, error),
                    "bulk-ceiling-" + (i + 1));
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        elasticsearch.deleteIndex(index);
        if (error.get() != null) {
            throw new IllegalStateException("direct _bulk failed: " + error.get());
        }
        documentsLoaded.addAndGet(documents.get());
        return documents.get() / seconds;
    }

    private void sendUntil(long end, String index, int batchSize, AtomicLong documents,
                           AtomicReference<String> error) {
        while (System.nanoTime() < end && error.get() == null && !Thread.currentThread().isInterrupted()) {
            sendOne(index, batchSize, documents, error);
        }
    }

    private void sendOne(String index, int batchSize, AtomicLong documents, AtomicReference<String> error) {
        try {
            HttpResponse<String> response = http.send(request(index, batchSize), HttpResponse.BodyHandlers.ofString());
            String head = response.body().substring(0, Math.min(100, response.body().length()));
            if (response.statusCode() != 200 || !head.contains("\"errors\":false")) {
                error.set("status " + response.statusCode() + ": " + head);
            }
            documents.addAndGet(batchSize);
        } catch (IOException e) {
            error.set(e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private HttpRequest request(String index, int batchSize) {
        StringBuilder body = new StringBuilder(batchSize * 450);
        for (int i = 0; i < batchSize; i++) {
            String id = generator.randomId();
            body.append("{\"index\":{\"_index\":\"").append(index).append("\",\"_id\":\"").append(id)
                    .append("\"}}\n").append(generator.document(id)).append('\n');
        }
        return HttpRequest.newBuilder(URI.create(elasticsearch.url() + "/_bulk"))
                .header("Content-Type", "application/x-ndjson").timeout(Duration.ofSeconds(120))
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
    }
}
