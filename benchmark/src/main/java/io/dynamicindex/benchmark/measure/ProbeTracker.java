package io.dynamicindex.benchmark.measure;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.dynamicindex.infra.ElasticsearchEndpoint;

/**
 * Times probe messages from acceptance until Elasticsearch search finds them. A probe is registered when its message
 * was accepted (HTTP 202 or broker confirm); one thread ({@code probe-poller}) asks {@code _search} with an ids query
 * for every probe still pending, about every 50 ms, and records for each one found the time half-way through the
 * search that found it. Search, not GET, so that a probe counts only once a refresh made it searchable. Owns the
 * poller thread.
 */
public final class ProbeTracker implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final long POLL_MILLIS = 50;
    private static final int MAX_IDS_PER_SEARCH = 2_000;

    private final ElasticsearchEndpoint elasticsearch;
    private final String index;
    private final Map<String, Long> pending = new ConcurrentHashMap<>();
    private final LatencySamples latencies = new LatencySamples();
    private final Thread poller;
    private volatile boolean running = true;

    public ProbeTracker(ElasticsearchEndpoint elasticsearch, String index) {
        this.elasticsearch = elasticsearch;
        this.index = index;
        this.poller = new Thread(this::pollUntilClosed, "probe-poller");
        poller.setDaemon(true);
        poller.start();
    }

    /** The probe's message was accepted at acceptedNanos (System.nanoTime). */
    public void accepted(String probeId, long acceptedNanos) {
        pending.put(probeId, acceptedNanos);
    }

    public LatencySamples latencies() {
        return latencies;
    }

    /** Probes accepted but not found yet. */
    public int pending() {
        return pending.size();
    }

    /** Waits until every probe was found or the timeout passed; returns how many are still missing. */
    public int awaitAll(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!pending.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(POLL_MILLIS);
        }
        return pending.size();
    }

    private void pollUntilClosed() {
        while (running) {
            try {
                if (!pending.isEmpty()) {
                    pollOnce();
                }
                TimeUnit.MILLISECONDS.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // Elasticsearch busy or the index not there yet: the next poll asks again
            }
        }
    }

    private void pollOnce() {
        List<String> ids = new ArrayList<>(pending.keySet());
        if (ids.size() > MAX_IDS_PER_SEARCH) {
            ids = ids.subList(0, MAX_IDS_PER_SEARCH);
        }
        String body = "{\"size\":" + ids.size() + ",\"_source\":false,\"query\":{\"ids\":{\"values\":"
                + JSON.writeValueAsString(ids) + "}}}";
        long sent = System.nanoTime();
        HttpResponse<String> response = elasticsearch.call("POST", "/" + index + "/_search", body);
        long seen = sent + (System.nanoTime() - sent) / 2;
        if (response.statusCode() != 200) {
            return;
        }
        for (JsonNode hit : JSON.readTree(response.body()).path("hits").path("hits")) {
            Long accepted = pending.remove(hit.path("_id").asString());
            if (accepted != null) {
                latencies.add(Math.max(0, seen - accepted));
            }
        }
    }

    @Override
    public void close() {
        running = false;
        poller.interrupt();
    }
}
