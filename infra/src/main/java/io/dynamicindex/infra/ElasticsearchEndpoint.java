package io.dynamicindex.infra;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Where an Elasticsearch (or OpenSearch) HTTP endpoint answers, and how it was found, with the few calls tests
 * need. The JDK's own HTTP client, so that tests check what Elasticsearch holds without trusting the code under test.
 *
 * @param url    base URL such as http://127.0.0.1:9250
 * @param origin "environment DI_ELASTICSEARCH_URL", or the engine of a node this JVM started
 * @param access how requests reach it: {@link Access#OPEN} for a node without security
 */
public record ElasticsearchEndpoint(String url, String origin, Access access) {

    private static final Pattern COUNT = Pattern.compile("\"count\"\\s*:\\s*(\\d+)");
    private static final Pattern NUMBER = Pattern.compile("\"(?:number|version)\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern DISTRIBUTION = Pattern.compile("\"distribution\"\\s*:\\s*\"([^\"]+)\"");

    /** An endpoint without security: plain HTTP, no credentials. */
    public ElasticsearchEndpoint(String url, String origin) {
        this(url, origin, Access.OPEN);
    }

    /** Sends a request and returns status and body; body may be null for GET and DELETE. */
    public HttpResponse<String> call(String method, String path, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (access.authorization() != null) {
            request.header("Authorization", access.authorization());
        }
        try {
            return access.http().send(request.build(), HttpResponse.BodyHandlers.ofString());
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

    /**
     * Product and version as the engine reports them, such as "Elasticsearch 8.19.8" or "OpenSearch 2.19.1": from
     * {@code GET /}, or from {@code GET /_nodes/_local} where a distribution has no root endpoint.
     */
    public String describe() {
        HttpResponse<String> root = call("GET", "/", null);
        String body = root.statusCode() == 200 ? root.body()
                : call("GET", "/_nodes/_local?filter_path=nodes.*.version", null).body();
        Matcher number = NUMBER.matcher(body);
        if (!number.find()) {
            throw new IllegalStateException("no version in " + body);
        }
        Matcher distribution = DISTRIBUTION.matcher(body);
        boolean openSearch = distribution.find() && "opensearch".equals(distribution.group(1));
        return (openSearch ? "OpenSearch " : "Elasticsearch ") + number.group(1);
    }

    /** Makes every new index one shard without replicas, as a single node needs to be green. */
    public void putSingleNodeDefaults() {
        HttpResponse<String> response = call("PUT", "/_template/dynamic-index-single-node",
                "{\"index_patterns\":[\"*\"],\"order\":-1,"
                        + "\"settings\":{\"number_of_shards\":1,\"number_of_replicas\":0}}");
        if (response.statusCode() != 200) {
            throw new IllegalStateException("cannot set single-node index defaults: " + response.body());
        }
    }

    public void deleteIndex(String index) {
        call("DELETE", "/" + index, null);
    }

    /**
     * How this JVM reaches an endpoint: an HTTP client, which carries the TLS trust a secured node needs, and the
     * Authorization header to send, if any. Its text never shows the credentials, as endpoints are logged.
     */
    public record Access(HttpClient http, String authorization) {

        /** Plain HTTP without credentials, for a node with security off. */
        public static final Access OPEN = new Access(client().build(), null);

        /** HTTPS trusting only the CA in the PEM file, as user with password (Basic authentication). */
        public static Access basic(Path caCertificate, String user, String password) {
            String credentials = user + ":" + password;
            return new Access(client().sslContext(trusting(caCertificate)).build(),
                    "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
        }

        @Override
        public String toString() {
            return authorization == null ? "open" : "with credentials";
        }

        private static HttpClient.Builder client() {
            return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
        }

        private static SSLContext trusting(Path caCertificate) {
            try (InputStream pem = Files.newInputStream(caCertificate)) {
                KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
                trust.load(null, null);
                trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(pem));
                TrustManagerFactory managers = TrustManagerFactory.getInstance(
                        TrustManagerFactory.getDefaultAlgorithm());
                managers.init(trust);
                SSLContext tls = SSLContext.getInstance("TLS");
                tls.init(null, managers.getTrustManagers(), null);
                return tls;
            } catch (IOException | GeneralSecurityException e) {
                throw new IllegalStateException("cannot trust the CA certificate " + caCertificate, e);
            }
        }
    }
}
