package io.dynamicindex.scheduler.schedule;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.dynamicindex.scheduler.config.SchedulerProperties.Indexer;

/**
 * Reads the indexer's back-pressure on an index queue from its management API ({@code GET /api/v1/status}, with a
 * viewer token): the queue backing off or halted, or bulk items retried (429s, timeouts) since the last look. Each
 * look waits at most two seconds. An indexer that does not answer, answers an error or garbage, or does not list the
 * queue gives no signal (the index queue's depth still guards): {@link #unavailable} says why until a look succeeds,
 * for the route's budget reason, and the first such look of a run of them is logged at WARN. Thread-safe: each
 * route's tick thread asks for its own queue.
 */
final class IndexerPressure {

    private static final Logger LOG = LoggerFactory.getLogger(IndexerPressure.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Indexer indexer;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final Map<String, Double> retriesSeen = new ConcurrentHashMap<>();
    private final Map<String, String> unavailable = new ConcurrentHashMap<>();

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
                return unavailable(queue, "it answered " + response.statusCode());
            }
            return pressure(queue, JSON.readTree(response.body()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (HttpTimeoutException e) {
            return unavailable(queue, "no answer within " + TIMEOUT.toSeconds() + " s");
        } catch (JacksonException e) {
            return unavailable(queue, "its answer is not a status (" + e.getOriginalMessage() + ")");
        } catch (IOException | RuntimeException e) {
            return unavailable(queue, e.toString());
        }
    }

    /** Why the last look at the queue's indexer status gave no signal, while it keeps failing. */
    Optional<String> unavailable(String queue) {
        return Optional.ofNullable(unavailable.get(queue));
    }

    private Optional<String> unavailable(String queue, String why) {
        if (unavailable.put(queue, why) == null) {
            LOG.warn("{}: the indexer's status at {} cannot be read ({}); the adaptive throttle steers by the index "
                    + "queue's depth alone until it can", queue, indexer.url(), why);
        }
        return Optional.empty();
    }

    private Optional<String> pressure(String queue, JsonNode status) {
        for (JsonNode view : status.path("queues")) {
            if (!view.path("queue").asString().equals(queue)) {
                continue;
            }
            if (unavailable.remove(queue) != null) {
                LOG.info("{}: the indexer's status can be read again", queue);
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
            return Optional.empty();
        }
        return unavailable(queue, "its status lists no queue " + queue);
    }
}
