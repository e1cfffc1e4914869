package io.dynamicindex.infra;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * An HTTP stand-in in front of a real Elasticsearch node, for tests that make a gateway misbehave: it forwards every
 * request to the node, unless a fault is set for {@code _bulk} requests, which it then answers itself (a 200 with an
 * HTML page, a 401, a 413 for bodies over a size). It counts the bulk requests it saw and, for each document id, the
 * operations it forwarded, so a test can tell how often a change reached Elasticsearch.
 */
public final class HttpFaultProxy implements AutoCloseable {

    private static final Pattern ID = Pattern.compile("\"_id\"\\s*:\\s*\"([^\"]*)\"");
    private static final List<String> FORWARDED_HEADERS = List.of("Content-Type", "Authorization");

    /** How a bulk request is answered instead of being forwarded. */
    private record Fault(int status, String contentType, String body, long minBytes) {
    }

    private final String target;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(8, runnable -> {
        Thread thread = new Thread(runnable, "http-fault-proxy");
        thread.setDaemon(true);
        return thread;
    });
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final AtomicInteger bulkRequests = new AtomicInteger();
    private final AtomicInteger faultsAnswered = new AtomicInteger();
    private final Map<String, AtomicInteger> forwardedById = new ConcurrentHashMap<>();
    private volatile Fault fault;
    private volatile long bulkDelayMillis;

    /** @param target the node's base URL, such as http://127.0.0.1:9200 */
    public HttpFaultProxy(String target) {
        this.target = target.endsWith("/") ? target.substring(0, target.length() - 1) : target;
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", Ports.free()), 64);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Answers every bulk request with this status and body instead of forwarding it. */
    public void failBulks(int status, String contentType, String body) {
        fault = new Fault(status, contentType, body, 0);
    }

    /** Answers 413 to every bulk request whose body has at least this many bytes; forwards smaller ones. */
    public void refuseBulksFrom(long bytes) {
        fault = new Fault(413, "application/json",
                "{\"error\":\"request entity too large\",\"status\":413}", bytes);
    }

    /** Holds every bulk request this long before forwarding it, as a slow or overloaded cluster would. */
    public void delayBulks(Duration delay) {
        bulkDelayMillis = delay.toMillis();
    }

    /** Forwards everything again, at once. */
    public void forward() {
        fault = null;
        bulkDelayMillis = 0;
    }

    public int bulkRequests() {
        return bulkRequests.get();
    }

    /** How many bulk requests the proxy answered itself with its fault. */
    public int faultsAnswered() {
        return faultsAnswered.get();
    }

    /** How many operations on each document id were forwarded to the node. */
    public Map<String, Integer> forwardedById() {
        Map<String, Integer> counts = new java.util.TreeMap<>();
        forwardedById.forEach((id, count) -> counts.put(id, count.get()));
        return counts;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = readAll(exchange.getRequestBody());
            boolean bulk = exchange.getRequestURI().getPath().endsWith("/_bulk");
            Fault current = fault;
            if (bulk) {
                bulkRequests.incrementAndGet();
            }
            if (bulk && current != null && body.length >= current.minBytes()) {
                faultsAnswered.incrementAndGet();
                respond(exchange, current.status(), current.contentType(),
                        current.body().getBytes(StandardCharsets.UTF_8));
                return;
            }
            if (bulk) {
                countIds(body);
                pause(bulkDelayMillis);
            }
            forward(exchange, body);
        }
    }

    private void forward(HttpExchange exchange, byte[] body) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target + exchange.getRequestURI()))
                .timeout(Duration.ofSeconds(60))
                .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        for (String header : FORWARDED_HEADERS) {
            String value = exchange.getRequestHeaders().getFirst(header);
            if (value != null) {
                request.header(header, value);
            }
        }
        try {
            HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            respond(exchange, response.statusCode(),
                    response.headers().firstValue("Content-Type").orElse("application/json"), response.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            respond(exchange, 502, "text/plain", "interrupted".getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            respond(exchange, 502, "text/plain", e.toString().getBytes(StandardCharsets.UTF_8));
        }
    }

    private static void pause(long millis) {
        if (millis > 0) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void countIds(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        for (String line : text.split("\n")) {
            if (line.startsWith("{\"index\"") || line.startsWith("{\"update\"") || line.startsWith("{\"delete\"")
                    || line.startsWith("{\"create\"")) {
                Matcher id = ID.matcher(line);
                if (id.find()) {
                    forwardedById.computeIfAbsent(id.group(1), k -> new AtomicInteger()).incrementAndGet();
                }
            }
        }
    }

    private static void respond(HttpExchange exchange, int status, String contentType, byte[] body)
            throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        try (in) {
            return in.readAllBytes();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
