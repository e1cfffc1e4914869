package io.dynamicindex.benchmark.environment;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import io.dynamicindex.infra.RunTokens;

/**
 * Reads the daemons' own counters over HTTP: the scheduler's route state ({@code GET /api/v1/routes}) and the
 * indexer's applied-message counter ({@code dynamicindex.indexer.applied} on its actuator).
 */
public final class DaemonState {

    /** One scheduler route as its API shows it; lastTick is null before the first tick. */
    public record RouteView(String name, long moved, Instant lastTick, int lastTickCount, long failedTicks) {
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private DaemonState() {
    }

    public static List<RouteView> routes(Daemon scheduler) {
        List<RouteView> routes = new ArrayList<>();
        for (JsonNode route : JSON.readTree(get(scheduler.url() + "/api/v1/routes"))) {
            String lastTick = route.path("lastTick").asString(null);
            routes.add(new RouteView(route.path("name").asString(), route.path("moved").asLong(),
                    lastTick == null || lastTick.isEmpty() ? null : Instant.parse(lastTick),
                    route.path("lastTickCount").asInt(), route.path("failedTicks").asLong()));
        }
        return routes;
    }

    public static RouteView route(Daemon scheduler, String name) {
        return routes(scheduler).stream().filter(r -> r.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalStateException("the scheduler has no route " + name));
    }

    /** Canonical messages the indexer applied so far (0 before the first). */
    public static long applied(Daemon indexer) {
        String body = get(indexer.url() + "/actuator/metrics/dynamicindex.indexer.applied");
        if (body.isEmpty()) {
            return 0;
        }
        long sum = 0;
        for (JsonNode measurement : JSON.readTree(body).path("measurements")) {
            sum += (long) measurement.path("value").asDouble();
        }
        return sum;
    }

    /**
     * The indexer's batching figures since it started, from its own meters: mean batch size, mean wait for a batch
     * to fill, and mean time per bulk request of each phase. Empty when the indexer has no such meters.
     */
    public static Map<String, Double> indexerBatching(Daemon indexer) {
        Map<String, Double> figures = new LinkedHashMap<>();
        String base = indexer.url() + "/actuator/metrics/dynamicindex.indexer.";
        mean(base + "batch.size", "TOTAL", 1).ifPresent(v -> figures.put("batchSizeMean", v));
        mean(base + "batch.wait", "TOTAL_TIME", 1000).ifPresent(v -> figures.put("batchWaitMeanMs", v));
        mean(base + "filter", "TOTAL_TIME", 1000).ifPresent(v -> figures.put("filterMeanMs", v));
        for (String phase : List.of("PREV_DELETE", "INDEX", "UPDATE", "DELETE", "TRIGGER_DELETE")) {
            String url = base + "bulk?tag=phase:" + phase;
            mean(url, "TOTAL_TIME", 1000).ifPresent(v -> figures.put("bulkMeanMs." + phase, v));
            statistic(url, "COUNT").ifPresent(v -> figures.put("bulkCount." + phase, v));
        }
        return figures;
    }

    private static Optional<Double> mean(String url, String total, double scale) {
        String body = get(url);
        Optional<Double> count = statisticOf(body, "COUNT");
        Optional<Double> sum = statisticOf(body, total);
        return count.isPresent() && sum.isPresent() && count.get() > 0
                ? Optional.of(sum.get() * scale / count.get()) : Optional.empty();
    }

    private static Optional<Double> statistic(String url, String name) {
        return statisticOf(get(url), name);
    }

    private static Optional<Double> statisticOf(String body, String name) {
        if (body.isEmpty()) {
            return Optional.empty();
        }
        for (JsonNode measurement : JSON.readTree(body).path("measurements")) {
            if (measurement.path("statistic").asString().equals(name)) {
                return Optional.of(measurement.path("value").asDouble());
            }
        }
        return Optional.empty();
    }

    private static String get(String url) {
        HttpRequest request = RunTokens.asViewer(URI.create(url)).timeout(Duration.ofSeconds(10)).build();
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? response.body() : "";
        } catch (IOException e) {
            throw new IllegalStateException("GET " + url + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
