package io.dynamicindex.scheduler.support;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import io.dynamicindex.infra.RunTokens;

/** The scheduler's management API over real HTTP. */
public final class RoutesApi {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final String baseUrl;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    public RoutesApi(String baseUrl) {
        this.baseUrl = baseUrl + "/api/v1/routes";
    }

    public static RoutesApi of(ConfigurableApplicationContext context) {
        return new RoutesApi("http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port"));
    }

    /** One tick as the API reports it. */
    public record Tick(Instant started, String outcome, int count, long millis) {
    }

    public JsonNode route(String name) {
        return JSON.readTree(ok(send(RunTokens.asViewer(uri(name)).GET())));
    }

    public List<Tick> ticks(String name) {
        List<Tick> ticks = new ArrayList<>();
        for (JsonNode tick : route(name).path("recentTicks")) {
            ticks.add(new Tick(Instant.parse(tick.path("started").asString()), tick.path("outcome").asString(),
                    tick.path("count").asInt(), tick.path("millis").asLong()));
        }
        return ticks;
    }

    public JsonNode pause(String name) {
        return JSON.readTree(ok(send(RunTokens.operatorWrite(uri(name + "/pause"), "POST", ""))));
    }

    public JsonNode resume(String name) {
        return JSON.readTree(ok(send(RunTokens.operatorWrite(uri(name + "/resume"), "POST", ""))));
    }

    public HttpResponse<String> patch(String name, String json) {
        return send(RunTokens.operatorWrite(uri(name), "PATCH", json));
    }

    public HttpResponse<String> get(String name) {
        return send(RunTokens.asViewer(uri(name)).GET());
    }

    private URI uri(String path) {
        String[] parts = path.split("/", 2);
        String encoded = URLEncoder.encode(parts[0], StandardCharsets.UTF_8);
        return URI.create(baseUrl + "/" + encoded + (parts.length > 1 ? "/" + parts[1] : ""));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new IllegalStateException("scheduler API did not answer: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String ok(HttpResponse<String> response) {
        if (response.statusCode() != 200) {
            throw new IllegalStateException(response.request().uri() + " answered " + response.statusCode() + ": "
                    + response.body());
        }
        return response.body();
    }
}
