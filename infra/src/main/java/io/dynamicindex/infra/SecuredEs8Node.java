package io.dynamicindex.infra;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * An Elasticsearch 8 node with security on, as production runs it: TLS on HTTP with a CA and a node certificate
 * (for 127.0.0.1 and localhost) made by the distribution's own certutil, a superuser in the file realm, and API keys.
 * The integ-test distribution lacks the analysis components of the {@code .security} index, where API keys live, so
 * the node gets the es8-security-analysis plugin. Owns the node and its home, and deletes both on {@link #close()}.
 * Takes about 10 s of tools and 15 s of start.
 */
public final class SecuredEs8Node implements AutoCloseable {

    /** The file-realm superuser. */
    public static final String USER = "di-admin";
    /** The superuser's password. */
    public static final String PASSWORD = "di-secret-8";

    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern ENCODED = Pattern.compile("\"encoded\"\\s*:\\s*\"([^\"]+)\"");

    private final DistributionNode node;
    private final Path home;
    private final ElasticsearchEndpoint endpoint;

    private SecuredEs8Node(DistributionNode node, Path home) {
        this.node = node;
        this.home = home;
        this.endpoint = new ElasticsearchEndpoint(node.url(), "secured Elasticsearch 8 node",
                ElasticsearchEndpoint.Access.basic(caCertificate(), USER, PASSWORD));
    }

    /**
     * Makes the certificates and the user, installs the plugin, starts the node on a free port with its output in
     * logFile, and sets index defaults for one node.
     *
     * @throws IllegalStateException when a tool or the node fails, with its output
     */
    public static SecuredEs8Node start(Path logFile) {
        Path home = temporaryFolder();
        DistributionNode node = DistributionNode.prepare(Ports.free(), home);
        try {
            makeCertificates(node);
            node.runTool("elasticsearch-users", "useradd", USER, "-p", PASSWORD, "-r", "superuser");
            node.installPlugin(Es8Distribution.securityAnalysisPlugin())
                    .setting("xpack.security.enabled", "true")
                    .setting("xpack.security.http.ssl.enabled", "true")
                    .setting("xpack.security.http.ssl.certificate", "node/node.crt")
                    .setting("xpack.security.http.ssl.key", "node/node.key")
                    .setting("xpack.security.http.ssl.certificate_authorities", "[ca/ca.crt]")
                    .start(logFile, "512m");
            SecuredEs8Node secured = new SecuredEs8Node(node, home);
            secured.endpoint.putSingleNodeDefaults();
            return secured;
        } catch (RuntimeException e) {
            node.close();
            FileTrees.deleteQuietly(home);
            throw e;
        }
    }

    /** The node's HTTPS address. */
    public String url() {
        return node.url();
    }

    /** The PEM file of the CA that signed the node's certificate. */
    public Path caCertificate() {
        return node.configDir().resolve("ca").resolve("ca.crt");
    }

    /** The node as its superuser over TLS, for setting up and checking what the node holds. */
    public ElasticsearchEndpoint endpoint() {
        return endpoint;
    }

    /**
     * Creates an API key (POST /_security/api_key) limited to the given role descriptors, a JSON object such as
     * {@code {"indexer": {"cluster": ["monitor"], "indices": [...]}}}.
     */
    public ApiKey createApiKey(String name, String roleDescriptors) {
        HttpResponse<String> response = endpoint.call("POST", "/_security/api_key", "{\"name\":\"" + name
                + "\",\"role_descriptors\":" + roleDescriptors + "}");
        Matcher id = ID.matcher(response.body());
        Matcher encoded = ENCODED.matcher(response.body());
        if (response.statusCode() != 200 || !id.find() || !encoded.find()) {
            throw new IllegalStateException("cannot create an API key: " + response.statusCode() + " "
                    + response.body());
        }
        return new ApiKey(id.group(1), encoded.group(1));
    }

    /** Invalidates the API key, after which the node answers 401 to it. */
    public void invalidate(ApiKey key) {
        HttpResponse<String> response = endpoint.call("DELETE", "/_security/api_key",
                "{\"ids\":[\"" + key.id() + "\"]}");
        if (response.statusCode() != 200) {
            throw new IllegalStateException("cannot invalidate API key " + key.id() + ": " + response.body());
        }
    }

    /** Stops the node and deletes its home. */
    @Override
    public void close() {
        node.close();
        FileTrees.deleteQuietly(home);
    }

    /**
     * An API key as Elasticsearch returns it.
     *
     * @param id      the key's id, by which it is invalidated
     * @param encoded base64 of "id:key", the value of an {@code Authorization: ApiKey} header
     */
    public record ApiKey(String id, String encoded) {

        @Override
        public String toString() {
            return "API key " + id;
        }
    }

    /** A CA, then a certificate for 127.0.0.1 and localhost signed by it, as PEM files under config/ca and config/node. */
    private static void makeCertificates(DistributionNode node) {
        Path config = node.configDir();
        Path caZip = config.resolve("ca.zip");
        node.runTool("elasticsearch-certutil", "ca", "--pem", "--silent", "--out", caZip.toString());
        unzip(caZip, config);
        Path nodeZip = config.resolve("node.zip");
        node.runTool("elasticsearch-certutil", "cert", "--pem", "--silent",
                "--ca-cert", config.resolve("ca/ca.crt").toString(),
                "--ca-key", config.resolve("ca/ca.key").toString(),
                "--ip", "127.0.0.1", "--dns", "localhost", "--name", "node", "--out", nodeZip.toString());
        unzip(nodeZip, config);
    }

    private static void unzip(Path zip, Path target) {
        try (ZipFile archive = new ZipFile(zip.toFile())) {
            for (ZipEntry entry : Collections.list(archive.entries())) {
                Path path = target.resolve(entry.getName()).normalize();
                if (entry.isDirectory() || !path.startsWith(target)) {
                    continue;
                }
                Files.createDirectories(path.getParent());
                try (InputStream in = archive.getInputStream(entry)) {
                    Files.copy(in, path);
                }
            }
            Files.delete(zip);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack " + zip, e);
        }
    }

    private static Path temporaryFolder() {
        try {
            return Files.createTempDirectory("di-es8-secured-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
