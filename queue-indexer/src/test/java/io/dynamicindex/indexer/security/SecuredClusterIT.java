package io.dynamicindex.indexer.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.dynamicindex.indexer.IndexerHarness;
import io.dynamicindex.indexer.health.PipelineState;
import io.dynamicindex.infra.SecuredEs8Node;
import io.dynamicindex.infra.SecuredEs8Node.ApiKey;
import io.dynamicindex.infra.TestNames;

/**
 * The indexer against an Elasticsearch 8 node with security on (TLS on HTTP with certificates made here, the file
 * realm, API keys), one node for the class. It indexes with the CA certificate and an API key holding only the
 * privileges the operations guide names, or a user's password.
 * Credentials the node refuses halt the queue with the 401 in its status and hold every message, none acknowledged
 * and none dead-lettered, until an indexer with good credentials applies them all. A node it cannot trust, for want
 * of the CA certificate, is retried with the TLS failure in the status, never dead-lettered.
 */
class SecuredClusterIT {

    private static final String ES = "dynamic-index.indexer.elasticsearch.";
    private static final int MESSAGES = 40;
    /** The least the indexer needs, as the operations guide gives it: cluster monitor, write to its indices. */
    private static final String INDEXER_ROLE = "{\"indexer\":{\"cluster\":[\"monitor\"],\"indices\":[{\"names\":"
            + "[\"secured_*\"],\"privileges\":[\"write\",\"view_index_metadata\",\"create_index\"]}]}}";

    private static SecuredEs8Node node;
    private static ApiKey apiKey;

    private IndexerHarness harness;
    private String index;

    @BeforeAll
    static void startSecuredNode() {
        node = SecuredEs8Node.start(Path.of("target", "secured-elasticsearch-node.log"));
        apiKey = node.createApiKey(TestNames.unique("indexer"), INDEXER_ROLE);
    }

    @AfterAll
    static void stopSecuredNode() {
        if (node != null) {
            node.close();
        }
    }

    @BeforeEach
    void setUp() {
        harness = new IndexerHarness(node.endpoint());
        index = harness.index("secured");
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    @Test
    void indexesWithTheCaCertificateAndAnApiKey() throws Exception {
        harness.start(properties(withApiKey(apiKey)));
        harness.publish(changes());

        assertAllSearchable();
    }

    @Test
    void indexesWithTheCaCertificateAndAFileRealmUser() throws Exception {
        harness.start(properties(asUser(SecuredEs8Node.PASSWORD)));
        harness.publish(changes());

        assertAllSearchable();
    }

    @Test
    void haltsOnAWrongPasswordAndAppliesEverythingOnceRestartedWithTheRightOne() throws Exception {
        harness.start(properties(asUser("not-the-password")));
        harness.publish(changes());

        assertHaltedOnCredentials();
        harness.stopIndexer();
        assertThat(harness.queueDepth()).as("every message back in the queue").isEqualTo(MESSAGES);

        harness.start(properties(asUser(SecuredEs8Node.PASSWORD)));
        assertAllSearchable();
    }

    @Test
    void haltsOnAnInvalidatedApiKeyWithoutDeadLettering() throws Exception {
        ApiKey invalidated = node.createApiKey(TestNames.unique("invalidated"), INDEXER_ROLE);
        node.invalidate(invalidated);
        harness.start(properties(withApiKey(invalidated)));
        harness.publish(changes());

        assertHaltedOnCredentials();
    }

    @Test
    void retriesANodeItCannotTrustWithoutTheCaCertificateAndDeadLettersNothing() throws Exception {
        Map<String, String> properties = properties(withApiKey(apiKey));
        properties.remove(ES + "ca-certificate");
        harness.start(properties);
        harness.publish(changes());

        await().atMost(Duration.ofSeconds(30)).until(() -> harness.state() == PipelineState.BACKING_OFF);
        assertThat(harness.reason()).contains("SSLHandshakeException").contains("PKIX path building failed");
        assertHeldWithoutDeadLetters();
    }

    /** The harness's properties with the node's CA certificate and these credentials. */
    private Map<String, String> properties(Map<String, String> credentials) {
        Map<String, String> properties = harness.properties();
        properties.put(ES + "ca-certificate", node.caCertificate().toString());
        properties.put(ES + "connect-timeout", "1s");
        properties.put(ES + "socket-timeout", "10s");
        properties.put("dynamic-index.indexer.buffer.max-interval", "50ms");
        // a halted worker keeps its batch until the shutdown deadline; the broker redelivers it either way
        properties.put("dynamic-index.indexer.shutdown-timeout", "2s");
        properties.putAll(credentials);
        return properties;
    }

    private static Map<String, String> withApiKey(ApiKey key) {
        return Map.of(ES + "api-key", key.encoded());
    }

    private static Map<String, String> asUser(String password) {
        Map<String, String> credentials = new LinkedHashMap<>();
        credentials.put(ES + "username", SecuredEs8Node.USER);
        credentials.put(ES + "password", password);
        return credentials;
    }

    private List<String> changes() {
        return IntStream.range(0, MESSAGES).mapToObj(n -> "{\"action\":\"index\",\"index\":\"" + index
                + "\",\"id\":\"P" + n + "\",\"doc\":{\"price\":" + n + "}}").toList();
    }

    private void assertAllSearchable() throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(() -> harness.settled() >= MESSAGES);
        Map<String, Map<String, Object>> expected = new LinkedHashMap<>();
        IntStream.range(0, MESSAGES).forEach(n -> expected.put(index + "/P" + n, Map.of("price", n)));
        assertThat(harness.documents(index)).isEqualTo(expected);
        assertThat(harness.deadLetterTypes()).isEmpty();
    }

    private void assertHaltedOnCredentials() throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(() -> harness.state() == PipelineState.HALTED);
        assertThat(harness.reason()).contains("401").contains("security_exception");
        assertThat(harness.healthStatus()).isEqualTo(503);
        assertHeldWithoutDeadLetters();
    }

    /** Nothing acknowledged, nothing dead-lettered, nothing in the index. */
    private void assertHeldWithoutDeadLetters() throws Exception {
        assertThat(harness.counter("dynamicindex.indexer.acknowledged")).isZero();
        assertThat(harness.counter("dynamicindex.indexer.dead_lettered")).isZero();
        assertThat(harness.deadLetterTypes()).isEmpty();
        assertThat(harness.elasticsearch.count(index)).isZero();
    }
}
