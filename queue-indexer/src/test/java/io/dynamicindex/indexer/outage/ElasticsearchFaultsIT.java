package io.dynamicindex.indexer.outage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import io.dynamicindex.common.QueueArguments;
import io.dynamicindex.indexer.IndexerHarness;
import io.dynamicindex.indexer.health.PipelineState;
import io.dynamicindex.indexer.order.GeneratedMessage;
import io.dynamicindex.indexer.order.RandomWorkload;
import io.dynamicindex.indexer.order.SequentialModel;
import io.dynamicindex.infra.HttpFaultProxy;
import io.dynamicindex.infra.TestNames;

/**
 * Faults of Elasticsearch or of a gateway in front of it, made with a real node, its own settings and an HTTP
 * stand-in: none of them dead-letters anything, each is visible while it lasts, and once it ends Elasticsearch holds
 * exactly what applying the messages one at a time would give.
 */
class ElasticsearchFaultsIT {

    private static final int MESSAGES = 300;

    private IndexerHarness harness;
    private HttpFaultProxy gateway;
    private String products;
    private String unmatched;
    private List<GeneratedMessage> messages;
    private final SequentialModel model = new SequentialModel();

    @BeforeEach
    void setUp() {
        harness = new IndexerHarness();
        gateway = new HttpFaultProxy(harness.elasticsearch.url());
        products = harness.index("products");
        unmatched = harness.index("unmatched");
        messages = new RandomWorkload(11, products, unmatched).messages(MESSAGES);
        messages.forEach(model::apply);
    }

    @AfterEach
    void tearDown() throws Exception {
        gateway.close();
        harness.close();
    }

    @Test
    void survivesAGatewayAnswering200WithAnHtmlPage() throws Exception {
        gateway.failBulks(200, "text/html", "<html><body><h1>502 Bad Gateway</h1></body></html>");
        start();

        await().atMost(Duration.ofSeconds(30)).until(() -> gateway.faultsAnswered() >= 5);
        assertThat(harness.state()).isEqualTo(PipelineState.BACKING_OFF);
        assertHeldWithoutDeadLetters();

        gateway.forward();
        assertEndsLikeTheModel();
    }

    @Tag("compat")
    @Test
    void haltsOnAWriteBlockedIndexAndAppliesEverythingInOrderOnceItIsLifted() throws Exception {
        block("index.blocks.write");
        start();

        await().atMost(Duration.ofSeconds(30)).until(() -> harness.state() == PipelineState.HALTED);
        assertThat(harness.healthStatus()).isEqualTo(503);
        assertThat(harness.gauge("dynamicindex.indexer.pipeline.state", "queue", harness.queue, "state", "halted"))
                .isEqualTo(1.0);
        assertHeldWithoutDeadLetters();

        lift("index.blocks.write");
        assertEndsLikeTheModel();
        await().atMost(Duration.ofSeconds(10)).until(() -> harness.state() == PipelineState.RUNNING);
        assertThat(harness.healthStatus()).isEqualTo(200);
    }

    /**
     * The flood-stage disk block, set by hand here as the cluster sets it when a disk passes the watermark.
     * Elasticsearch 7.10 and 8 and OpenSearch 2 answer it 429, so the queue backs off; an engine that answered it 403,
     * as it answers an operator's write block, would halt the queue. Either way nothing is dead-lettered or
     * acknowledged while it lasts.
     */
    @Tag("compat")
    @Test
    void holdsEverythingThroughAFloodStageBlockAndAppliesItInOrderOnceItIsLifted() throws Exception {
        block("index.blocks.read_only_allow_delete");
        int blockedStatus = statusOfAWriteToTheBlockedIndex();
        PipelineState expected = blockedStatus == 429 ? PipelineState.BACKING_OFF : PipelineState.HALTED;
        start();

        await().atMost(Duration.ofSeconds(30)).until(() -> harness.counter("dynamicindex.indexer.bulk.retries") >= 20);
        assertThat(harness.state()).as("the engine answers the block %d", blockedStatus).isEqualTo(expected);
        assertThat(harness.reason()).contains("cluster_block_exception");
        assertThat(harness.healthStatus()).isEqualTo(blockedStatus == 429 ? 200 : 503);
        assertHeldWithoutDeadLetters();

        lift("index.blocks.read_only_allow_delete");
        assertEndsLikeTheModel();
        await().atMost(Duration.ofSeconds(10)).until(() -> harness.state() == PipelineState.RUNNING);
    }

    @Test
    void haltsOnAQuorumIndexQueueWithoutSpendingItsDeliveryLimit() throws Exception {
        assumeTrue(harness.rabbit.isRabbitMq(), harness.rabbit.rabbitMqOnly("quorum queues"));
        String parking = QueueArguments.parkingQueue(harness.queue);
        try (Connection connection = harness.rabbit.connect(); Channel channel = connection.createChannel()) {
            channel.queueDeclare(parking, true, false, false, null);
            channel.queueDeclare(harness.queue, true, false, false, QueueArguments.quorum(2, parking));
            try {
                block("index.blocks.write");
                start();
                await().atMost(Duration.ofSeconds(30)).until(() -> harness.state() == PipelineState.HALTED
                        && harness.counter("dynamicindex.indexer.bulk.retries") >= 10);
                lift("index.blocks.write");

                assertEndsLikeTheModel();
                assertThat(channel.queueDeclarePassive(parking).getMessageCount()).isZero();
            } finally {
                channel.queueDelete(parking);
            }
        }
    }

    @Test
    void haltsOnACredentialFailureAndResumesWhenTheGatewayAcceptsAgain() throws Exception {
        gateway.failBulks(401, "application/json", "{\"error\":{\"type\":\"security_exception\","
                + "\"reason\":\"unable to authenticate user\"},\"status\":401}");
        start();

        await().atMost(Duration.ofSeconds(30)).until(() -> harness.state() == PipelineState.HALTED);
        assertThat(harness.healthStatus()).isEqualTo(503);
        assertHeldWithoutDeadLetters();

        gateway.forward();
        assertEndsLikeTheModel();
    }

    @Test
    void splitsABulkAnswered413AndAppliesEverything() throws Exception {
        gateway.refuseBulksFrom(300);
        start();

        assertEndsLikeTheModel();
        assertThat(harness.counter("dynamicindex.indexer.bulk.splits")).isPositive();
        assertThat(gateway.faultsAnswered()).isPositive();
    }

    /**
     * An alias over two indices, none of them its write index (as a rebuild can leave it): the engine answers each
     * write illegal_argument_exception, which alone would dead-letter every change; its reason halts the queue.
     */
    @Test
    void haltsOnAnAliasWithoutAWriteIndexAndAppliesEverythingOnceOneIsSet() throws Exception {
        Map<String, String> writeIndices = new HashMap<>();
        for (String alias : List.of(products, unmatched)) {
            String first = harness.index(alias + "_a");
            String second = harness.index(alias + "_b");
            harness.elasticsearch.call("PUT", "/" + first, "{\"settings\":{\"number_of_replicas\":0}}");
            harness.elasticsearch.call("PUT", "/" + second, "{\"settings\":{\"number_of_replicas\":0}}");
            harness.elasticsearch.call("POST", "/_aliases", "{\"actions\":[{\"add\":{\"index\":\"" + first
                    + "\",\"alias\":\"" + alias + "\"}},{\"add\":{\"index\":\"" + second + "\",\"alias\":\""
                    + alias + "\"}}]}");
            writeIndices.put(alias, first);
        }
        start();

        assertHaltedWithoutDeadLetters("no write index is defined for alias");

        writeIndices.forEach((alias, index) -> harness.elasticsearch.call("POST", "/_aliases",
                "{\"actions\":[{\"add\":{\"index\":\"" + index + "\",\"alias\":\"" + alias
                        + "\",\"is_write_index\":true}}]}"));
        assertEndsLikeTheModel();
        await().atMost(Duration.ofSeconds(10)).until(() -> harness.state() == PipelineState.RUNNING);
    }

    /**
     * Indices whose default pipeline does not exist: the engine answers each write illegal_argument_exception, which
     * alone would dead-letter every change; its reason halts the queue until the pipeline is created.
     */
    @Test
    void haltsOnAMissingIngestPipelineAndAppliesEverythingOnceItExists() throws Exception {
        String pipeline = TestNames.unique("pipeline");
        for (String index : List.of(products, unmatched)) {
            harness.elasticsearch.call("PUT", "/" + index, "{\"settings\":{\"number_of_replicas\":0,"
                    + "\"index.default_pipeline\":\"" + pipeline + "\"}}");
        }
        start();
        try {
            assertHaltedWithoutDeadLetters("pipeline with id [" + pipeline + "] does not exist");

            HttpResponse<String> created = harness.elasticsearch.call("PUT", "/_ingest/pipeline/" + pipeline,
                    "{\"description\":\"no processors: engines without the ingest-common module have none\","
                            + "\"processors\":[]}");
            assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
            assertEndsLikeTheModel();
            await().atMost(Duration.ofSeconds(10)).until(() -> harness.state() == PipelineState.RUNNING);
        } finally {
            harness.elasticsearch.call("DELETE", "/_ingest/pipeline/" + pipeline, null);
        }
    }

    private void assertHaltedWithoutDeadLetters(String reason) throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(() -> harness.state() == PipelineState.HALTED);
        assertThat(harness.reason()).contains(reason);
        assertThat(harness.healthStatus()).isEqualTo(503);
        assertHeldWithoutDeadLetters();
    }

    private void start() throws Exception {
        Map<String, String> properties = harness.properties();
        properties.put("dynamic-index.indexer.elasticsearch.hosts", gateway.url());
        properties.put("dynamic-index.indexer.workers", "2");
        properties.put("dynamic-index.indexer.buffer.max-size", "20");
        properties.put("dynamic-index.indexer.buffer.max-interval", "50ms");
        properties.put("dynamic-index.indexer.prefetch", "100");
        properties.put("dynamic-index.indexer.retry.max-backoff", "300ms");
        harness.start(properties);
        harness.publish(messages.stream().map(GeneratedMessage::toJson).toList());
    }

    /** Creates both indices and sets a block on them. */
    private void block(String setting) {
        for (String index : List.of(products, unmatched)) {
            harness.elasticsearch.call("PUT", "/" + index, "{\"settings\":{\"number_of_replicas\":0}}");
            harness.elasticsearch.call("PUT", "/" + index + "/_settings", "{\"" + setting + "\":true}");
        }
    }

    private void lift(String setting) {
        for (String index : List.of(products, unmatched)) {
            harness.elasticsearch.call("PUT", "/" + index + "/_settings", "{\"" + setting + "\":null}");
        }
    }

    /** The item status with which the engine refuses a write to the blocked products index, and that it is a block. */
    private int statusOfAWriteToTheBlockedIndex() {
        String answer = harness.elasticsearch.call("POST", "/_bulk?filter_path=items.*.status,items.*.error.type",
                "{\"index\":{\"_index\":\"" + products + "\",\"_id\":\"probe\"}}\n{\"n\":1}\n").body();
        JsonNode item = IndexerHarness.JSON.readTree(answer).path("items").path(0).path("index");
        assertThat(item.path("error").path("type").asString()).as(answer).isEqualTo("cluster_block_exception");
        return item.path("status").asInt();
    }

    /** Nothing acknowledged, nothing dead-lettered, the messages waiting in the broker or the buffer. */
    private void assertHeldWithoutDeadLetters() throws Exception {
        assertThat(harness.counter("dynamicindex.indexer.acknowledged")).isZero();
        assertThat(harness.counter("dynamicindex.indexer.dead_lettered")).isZero();
        assertThat(harness.deadLetterTypes()).isEmpty();
    }

    private void assertEndsLikeTheModel() throws Exception {
        await().atMost(Duration.ofSeconds(90)).until(() -> harness.settled() >= MESSAGES);
        Map<String, Map<String, Object>> indexed = new HashMap<>(harness.documents(products));
        indexed.putAll(harness.documents(unmatched));
        assertThat(indexed).isEqualTo(model.documents());
        // the workload updates documents that may not exist (no upsert): those are the data's own faults
        assertThat(harness.deadLetterTypes()).containsOnly("document_missing_exception");
    }
}
