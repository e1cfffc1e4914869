package io.dynamicindex.infra;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where an Elasticsearch (or OpenSearch) HTTP endpoint answers, and how it was found, with the few calls tests
 * need. Plain HTTP, so that tests check what Elasticsearch holds without trusting the code under test.
 *
 * @param url    base URL such as http://127.0.0.1:9250
 * @param origin "environment DI_ELASTICSEARCH_URL" or "elasticsearch-cluster-runner 7.10.2 node"
 */
public record ElasticsearchEndpoint(String url, String origin) {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Pattern COUNT = Pattern.compile("\"count\"\\s*:\\s*(\\d+)");

    /** Sends a request and returns status and body; body may be null for GET and DELETE. */
    public HttpResponse<String> call(String method, String path, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + url + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /**
     * Refreshes the index, then counts its documents: 0 when the index does not exist or cannot answer yet (a just
     * created index answers 503 until its shard is allocated), so callers poll it.
     */
    public long count(String index) {
        call("POST", "/" + index + "/_refresh", null);
        HttpResponse<String> response = call("GET", "/" + index + "/_count", null);
        if (response.statusCode() != 200) {
            return 0;
        }
        Matcher matcher = COUNT.matcher(response.body());
        if (!matcher.find()) {
            throw new IllegalStateException("no count in " + response.body());
        }
        return Long.parseLong(matcher.group(1));
    }

    /** The document's _source as JSON text, or null when it does not exist. */
    public String source(String index, String id) {
        HttpResponse<String> response = call("GET", "/" + index + "/_source/" + id, null);
        return response.statusCode() == 200 ? response.body() : null;
    }

    public void deleteIndex(String index) {
        call("DELETE", "/" + index, null);
    }
}
