package io.dynamicindex.indexer.outage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.dynamicindex.indexer.IndexerHarness;
import io.dynamicindex.indexer.health.PipelineState;
import io.dynamicindex.indexer.order.GeneratedMessage;
import io.dynamicindex.indexer.order.RandomWorkload;
import io.dynamicindex.indexer.order.SequentialModel;
import io.dynamicindex.infra.TcpProxy;

/**
 * PostgreSQL stops answering mid-stream under an archived queue, first refusing connections, then hanging (new
 * connections held without an answer), then silent on the connections the pool holds (a transaction in flight gets
 * no answer and no reset: only the JDBC socket timeout ends it): the queue
 * holds its batch and backs off (no dead letter for it: only the workload's own refused updates are dead-lettered),
 * and once PostgreSQL is back, Elasticsearch and the archive
 * both end where applying the messages one at a time ends.
 */
class ArchiveOutageIT {

    private static final int MESSAGES = 1_200;

    @Test
    void holdsTheQueueWhilePostgresIsDownAndLosesNothing() throws Exception {
        try (IndexerHarness harness = new IndexerHarness()) {
            URI jdbc = URI.create(harness.postgres.jdbcUrl().substring("jdbc:".length()));
            try (TcpProxy database = new TcpProxy(jdbc.getHost(), jdbc.getPort())) {
                String products = harness.index("products");
                String unmatched = harness.index("unmatched");
                List<String> messages = new RandomWorkload(5, products, unmatched).messages(MESSAGES).stream()
                        .map(GeneratedMessage::toJson).toList();
                harness.start(properties(harness, database));

                harness.publish(messages.subList(0, 300));
                await().atMost(Duration.ofSeconds(30)).until(() -> harness.settled() >= 100);
                database.cut();
                harness.publish(messages.subList(300, 600));
                holdsWhileDown(harness, "cut");
                database.restore();
                await().atMost(Duration.ofSeconds(60)).until(() -> harness.settled() >= 600);

                database.hang();
                harness.publish(messages.subList(600, 900));
                holdsWhileDown(harness, "hang");
                database.restore();
                await().atMost(Duration.ofSeconds(60)).until(() -> harness.settled() >= 900);

                database.freeze();
                harness.publish(messages.subList(900, MESSAGES));
                holdsWhileDown(harness, "silent");
                database.restore();
                await().atMost(Duration.ofSeconds(90)).until(() -> harness.settled() >= MESSAGES);

                SequentialModel model = new SequentialModel();
                new RandomWorkload(5, products, unmatched).messages(MESSAGES).forEach(model::apply);
                assertThat(harness.deadLetterTypes()).as("only the workload's own refused updates")
                        .hasSize(model.missingUpdates()).containsOnly("document_missing_exception");
                assertThat(both(harness::documents, products, unmatched)).isEqualTo(model.documents());
                assertThat(both(harness::archivedDocuments, products, unmatched)).isEqualTo(model.documents());
            }
        }
    }

    private static Map<String, String> properties(IndexerHarness harness, TcpProxy database) {
        Map<String, String> properties = harness.properties();
        properties.put("spring.datasource.url", properties.get("spring.datasource.url")
                .replaceFirst(":\\d+/", ":" + database.port() + "/"));
        properties.put("spring.datasource.hikari.data-source-properties.socketTimeout", "4");
        properties.put("spring.datasource.hikari.connection-timeout", "1000");
        properties.put("dynamic-index.indexer.queues." + harness.queue + ".archive.enabled", "true");
        properties.put("dynamic-index.indexer.queues." + harness.queue + ".archive.statement-timeout", "2s");
        properties.put("dynamic-index.indexer.workers", "2");
        properties.put("dynamic-index.indexer.buffer.max-size", "20");
        properties.put("dynamic-index.indexer.buffer.max-interval", "30ms");
        properties.put("dynamic-index.indexer.prefetch", "100");
        properties.put("dynamic-index.indexer.retry.max-backoff", "500ms");
        return properties;
    }

    /** While PostgreSQL is down, the queue backs off with the archive named, and fewer messages settle than sent. */
    private static void holdsWhileDown(IndexerHarness harness, String fault) {
        await(fault).atMost(Duration.ofSeconds(30)).until(() -> harness.state() == PipelineState.BACKING_OFF);
        await().pollDelay(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2)).until(() -> true);
        double settled = harness.settled();
        await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4)).until(() -> true);
        assertThat(harness.settled()).as(fault).isEqualTo(settled);
        assertThat(harness.state()).as(fault).isEqualTo(PipelineState.BACKING_OFF);
    }

    @FunctionalInterface
    private interface Documents {
        Map<String, Map<String, Object>> of(String index) throws Exception;
    }

    private static Map<String, Map<String, Object>> both(Documents documents, String first, String second)
            throws Exception {
        Map<String, Map<String, Object>> all = new HashMap<>(documents.of(first));
        all.putAll(documents.of(second));
        return all;
    }
}
