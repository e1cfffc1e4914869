package io.dynamicindex.scheduler.schedule;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.dynamicindex.scheduler.config.SchedulerProperties.Indexer;

/**
 * Reads the indexer's back-pressure on an index queue from its management API ({@code GET /api/v1/status}, with a
 * viewer token): the queue backing off or halted, or bulk items retried (429s, timeouts) since the last look. Each
 * look waits at most two seconds; an indexer that does not answer gives no signal (the index queue's depth still
 * guards) and is logged at DEBUG. Thread-safe: each route's tick thread asks for its own queue.
 */
final class IndexerPressure {

    private static final Logger LOG = LoggerFactory.getLogger(IndexerPressure.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Indexer indexer;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final Map<String, Double> retriesSeen = new ConcurrentHashMap<>();

    IndexerPressure(Indexer indexer) {
        this.indexer = indexer;
    }

    Optional<String> on(String queue) {
        if (indexer.url() == null) {
            return Optional.empty();
        }
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(indexer.url().resolve("/api/v1/status"))
                    .timeout(TIMEOUT);
            if (indexer.token() != null) {
                request.header("Authorization", "Bearer " + indexer.token());
            }
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                LOG.debug("{}: the indexer's status answered {}", queue, response.statusCode());
                return Optional.empty();
            }
            return pressure(queue, JSON.readTree(response.body()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (Exception e) {
            LOG.debug("{}: no answer from the indexer's status: {}", queue, e.toString());
            return Optional.empty();
        }
    }

    private Optional<String> pressure(String queue, JsonNode status) {
        for (JsonNode view : status.path("queues")) {
            if (!view.path("queue").asString().equals(queue)) {
                continue;
            }
            String state = view.path("state").asString();
            double retries = view.path("retries").asDouble();
            Double before = retriesSeen.put(queue, retries);
            if (state.equals("BACKING_OFF") || state.equals("HALTED")) {
                return Optional.of("indexer " + state.toLowerCase() + ": " + view.path("reason").asString());
            }
            if (before != null && retries > before) {
                return Optional.of("indexer retried " + Math.round(retries - before) + " bulk item(s) since the "
                        + "last tick");
            }
        }
        return Optional.empty();
    }
}
