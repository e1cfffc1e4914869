package io.dynamicindex.indexer.bulk;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;

import javax.net.ssl.SSLContext;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.http.Header;
import org.apache.http.HttpHost;
import org.apache.http.entity.ByteArrayEntity;
import org.apache.http.entity.ContentType;
import org.apache.http.message.BasicHeader;
import org.apache.http.ssl.SSLContexts;
import org.apache.http.util.EntityUtils;
import org.elasticsearch.client.Request;

import org.elasticsearch.client.ResponseException;
import org.elasticsearch.client.RestClient;

import io.dynamicindex.indexer.config.IndexerProperties;

/**
 * Sends bulks with Elasticsearch's low-level REST client, which speaks to Elasticsearch 7.10 to 9.x and to
 * OpenSearch alike. Owns the client and closes it. Every request goes through {@link #perform}, which tells a
 * {@link Reachability} watcher when a request got no answer and when one was answered, so that the engine is read
 * again after an outage.
 */
public final class RestClientTransport implements BulkTransport, AutoCloseable {

    /** Told, on the requesting thread, how each request went. Must return quickly and never throw. */
    public interface Reachability {
        /** A request got no answer: connection refused or reset, or a timeout. */
        void unreachable();

        /** A request was answered, with any status. */
        void answered();
    }

    private static final Reachability NOBODY = new Reachability() {
        @Override
        public void unreachable() {
        }

        @Override
        public void answered() {
        }
    };

    private static final Pattern STATUS = Pattern.compile("\"status\"\\s*:\\s*\"(\\w+)\"");
    private static final ContentType NDJSON = ContentType.create("application/x-ndjson", StandardCharsets.UTF_8);

    private final RestClient client;
    private volatile Reachability reachability = NOBODY;

    public RestClientTransport(IndexerProperties.Elasticsearch settings) {
        HttpHost[] hosts = ElasticsearchHosts.parse(settings.hosts());
        SSLContext tls = trustFor(settings.caCertificate());
        this.client = RestClient.builder(hosts)
                .setDefaultHeaders(authHeaders(settings))
                .setHttpClientConfigCallback(http -> tls == null ? http : http.setSSLContext(tls))
                .setRequestConfigCallback(config -> config
                        .setConnectTimeout((int) settings.connectTimeout().toMillis())
                        .setSocketTimeout((int) settings.socketTimeout().toMillis()))
                .build();
    }

    /** An SSL context trusting the given PEM CA certificate, or null to keep the JVM's default trust. */
    static SSLContext trustFor(String caCertificate) {
        if (caCertificate == null || caCertificate.isBlank()) {
            return null;
        }
        try (InputStream pem = Files.newInputStream(Path.of(caCertificate))) {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            trust.setCertificateEntry("elasticsearch-ca",
                    CertificateFactory.getInstance("X.509").generateCertificate(pem));
            return SSLContexts.custom().loadTrustMaterial(trust, null).build();
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("dynamic-index.indexer.elasticsearch.ca-certificate='" + caCertificate
                    + "' is not a readable PEM certificate: " + e.getMessage(), e);
        }
    }

    private static Header[] authHeaders(IndexerProperties.Elasticsearch settings) {
        if (settings.apiKey() != null && !settings.apiKey().isBlank()) {
            return new Header[] {new BasicHeader("Authorization", "ApiKey " + settings.apiKey())};
        }
        if (settings.username() != null && !settings.username().isBlank()) {
            String credentials = settings.username() + ":" + (settings.password() == null ? "" : settings.password());
            return new Header[] {new BasicHeader("Authorization",
                    "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)))};
        }
        return new Header[0];
    }

    @Override
    public BulkTransport.Response send(byte[] ndjson) throws IOException {
        return bulk(ndjson, "errors,items.*.status,items.*.error");
    }

    @Override
    public BulkTransport.Response sendAnsweringVersions(byte[] ndjson) throws IOException {
        return bulk(ndjson, "errors,items.*.status,items.*.error,items.*._version");
    }

    /** Only what the reader needs: the answer of a 1,000-item bulk shrinks from ~200 KB to ~40 KB. */
    private BulkTransport.Response bulk(byte[] ndjson, String filterPath) throws IOException {
        Request request = new Request("POST", "/_bulk");
        request.addParameter("filter_path", filterPath);
        request.setEntity(new ByteArrayEntity(ndjson, NDJSON));
        return perform(request);
    }

    /**
     * Sends any request with this client's hosts, credentials and timeouts (the index rebuild creates indices and
     * moves aliases with it). An error status is returned, not thrown.
     *
     * @throws IOException when no response arrived (connection refused, reset, timeout)
     */
    public BulkTransport.Response perform(Request request) throws IOException {
        BulkTransport.Response response;
        try {
            response = answer(client.performRequest(request));
        } catch (ResponseException e) {
            response = answer(e.getResponse());
        } catch (IOException e) {
            reachability.unreachable();
            throw e;
        }
        reachability.answered();
        return response;
    }

    /** Who is told how requests go; one watcher at a time, set once at startup. */
    public void watch(Reachability watcher) {
        this.reachability = watcher;
    }

    private static BulkTransport.Response answer(org.elasticsearch.client.Response response) throws IOException {
        byte[] body = response.getEntity() == null ? new byte[0] : EntityUtils.toByteArray(response.getEntity());
        return new BulkTransport.Response(response.getStatusLine().getStatusCode(), body);
    }

    /** The cluster's health status (green, yellow or red), bounded by the client's timeouts. */
    public String clusterStatus() throws IOException {
        Request request = new Request("GET", "/_cluster/health");
        request.addParameter("filter_path", "status");
        BulkTransport.Response response = perform(request);
        String body = new String(response.body(), StandardCharsets.UTF_8);
        Matcher status = STATUS.matcher(body);
        if (response.status() != 200 || !status.find()) {
            throw new IOException("not a cluster health answer (" + response.status() + "): " + body);
        }
        return status.group(1);
    }

    /** The hosts this transport sends to, for logs. */
    public List<String> hosts() {
        return client.getNodes().stream().map(node -> node.getHost().toURI()).toList();
    }

    @Override
    public void close() throws IOException {
        client.close();
    }
}
