package io.dynamicindex.indexer.outage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.dynamicindex.indexer.IndexerHarness;
import io.dynamicindex.indexer.health.PipelineState;

/**
 * The error-policy cases as the running engine itself answers them (no stand-in): a mapping conflict is the data's
 * fault and dead-lettered under the engine's own error name; an older version is stale and settled; a missing or
 * closed index halts the queue with nothing acknowledged or dead-lettered until an operator fixes it. Part of the
 * compatibility suite, so each engine shows its own names and statuses.
 */
@Tag("compat")
class EngineErrorCasesIT {

    private IndexerHarness harness;
    private String index;

    @BeforeEach
    void setUp() {
        harness = new IndexerHarness();
        index = harness.index("cases");
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.elasticsearch.call("PUT", "/_cluster/settings",
                "{\"persistent\":{\"action.auto_create_index\":null}}");
        harness.close();
    }

    @Test
    void deadLettersAMappingConflictUnderTheEnginesOwnName() throws Exception {
        harness.elasticsearch.call("PUT", "/" + index, "{\"mappings\":{\"properties\":{\"n\":{\"type\":\"long\"}}}}");
        start();
        harness.publish(List.of(change("index", "BAD", null, "{\"n\":\"not a number\"}"),
                change("index", "GOOD", null, "{\"n\":7}")));

        await().atMost(Duration.ofSeconds(30)).until(() -> harness.settled() >= 2);
        assertThat(harness.deadLetterTypes()).singleElement()
                .isIn("mapper_parsing_exception", "document_parsing_exception");
        assertThat(harness.elasticsearch.source(index, "GOOD")).contains("7");
    }

    @Test
    void keepsTheHighestVersionWithoutDeadLetters() throws Exception {
        start();
        harness.publish(List.of(change("index", "P", 10L, "{\"price\":10}"),
                change("index", "P", 5L, "{\"price\":5}"),
                change("delete", "P", 3L, null),
                change("index", "Q", 2L, "{\"price\":2}"),
                change("delete", "Q", 4L, null)));

        await().atMost(Duration.ofSeconds(30)).until(() -> harness.settled() >= 5);
        assertThat(harness.elasticsearch.source(index, "P")).isEqualTo("{\"price\":10}");
        assertThat(harness.elasticsearch.source(index, "Q")).isNull();
        assertThat(harness.deadLetterTypes()).isEmpty();
    }

    @Test
    void haltsOnAMissingIndexUntilItIsCreated() throws Exception {
        harness.elasticsearch.call("PUT", "/_cluster/settings",
                "{\"persistent\":{\"action.auto_create_index\":\"-" + index + ",+*\"}}");
        start();
        harness.publish(List.of(change("index", "A", null, "{\"n\":1}")));

        assertHaltedWithNothingSettled();
        harness.elasticsearch.call("PUT", "/" + index, "{}");
        assertApplied("A");
    }

    @Test
    void haltsOnAClosedIndexUntilItIsOpened() throws Exception {
        harness.elasticsearch.call("PUT", "/" + index, "{}");
        harness.elasticsearch.call("POST", "/" + index + "/_close", null);
        start();
        harness.publish(List.of(change("index", "A", null, "{\"n\":1}")));

        assertHaltedWithNothingSettled();
        harness.elasticsearch.call("POST", "/" + index + "/_open", null);
        assertApplied("A");
    }

    private void start() {
        Map<String, String> properties = harness.properties();
        properties.put("dynamic-index.indexer.buffer.max-interval", "50ms");
        properties.put("dynamic-index.indexer.retry.max-backoff", "300ms");
        harness.start(properties);
    }

    private void assertHaltedWithNothingSettled() throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(() -> harness.state() == PipelineState.HALTED);
        assertThat(harness.healthStatus()).isEqualTo(503);
        assertThat(harness.counter("dynamicindex.indexer.acknowledged")).isZero();
        assertThat(harness.deadLetterTypes()).isEmpty();
    }

    private void assertApplied(String id) throws Exception {
        await().atMost(Duration.ofSeconds(60)).until(() -> harness.settled() >= 1);
        assertThat(harness.elasticsearch.source(index, id)).isEqualTo("{\"n\":1}");
        assertThat(harness.deadLetterTypes()).isEmpty();
        await().atMost(Duration.ofSeconds(10)).until(() -> harness.state() == PipelineState.RUNNING);
    }

    private String change(String action, String id, Long version, String doc) {
        return "{\"action\":\"" + action + "\",\"index\":\"" + index + "\",\"id\":\"" + id + "\""
                + (version == null ? "" : ",\"version\":" + version) + (doc == null ? "" : ",\"doc\":" + doc) + "}";
    }
}
