package io.dynamicindex.indexer.outage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import io.dynamicindex.indexer.IndexerHarness;
import io.dynamicindex.indexer.health.PipelineState;
import io.dynamicindex.infra.TcpProxy;

/**
 * The JDBC lookup filter's database connection is cut while changes to the same documents keep coming: the failing
 * batch is held and retried in place, so no older change overtakes a newer one, and nothing is dead-lettered.
 */
class FilterFailureIT {

    private static final int DOCUMENTS = 6;
    private static final int MESSAGES = 400;

    @Test
    void holdsTheBatchInOrderWhileTheLookupDatabaseIsCut() throws Exception {
        try (IndexerHarness harness = new IndexerHarness();
             TcpProxy database = new TcpProxy("127.0.0.1", port(harness.postgres.jdbcUrl()))) {
            String table = "\"" + harness.schema + "\".product";
            try (Connection connection = harness.postgres.connect(); Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE " + table + " (id text PRIMARY KEY, extra text)");
                statement.execute("INSERT INTO " + table + " SELECT 'K' || n, 'row-' || n "
                        + "FROM generate_series(0, " + (DOCUMENTS - 1) + ") AS n");
            }
            String index = harness.index("lookup");
            Map<String, String> properties = harness.properties();
            properties.put("spring.datasource.url", properties.get("spring.datasource.url")
                    .replaceFirst(":\\d+/", ":" + database.port() + "/"));
            properties.put("dynamic-index.indexer.jdbc-filters.lookup.query",
                    "SELECT id, extra FROM " + table + " WHERE id = ANY(?)");
            properties.put("dynamic-index.indexer.queues." + harness.queue + ".filter", "lookup");
            properties.put("dynamic-index.indexer.workers", "2");
            properties.put("dynamic-index.indexer.buffer.max-size", "10");
            properties.put("dynamic-index.indexer.buffer.max-interval", "30ms");
            properties.put("dynamic-index.indexer.prefetch", "50");
            properties.put("dynamic-index.indexer.retry.max-backoff", "500ms");
            harness.start(properties);
            List<String> messages = messages(index);

            harness.publish(messages.subList(0, 100));
            await().atMost(Duration.ofSeconds(30)).until(() -> harness.settled() >= 50);
            database.cut();
            harness.publish(messages.subList(100, MESSAGES));
            await().atMost(Duration.ofSeconds(30)).until(() -> harness.state() == PipelineState.BACKING_OFF);
            await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4)).until(() -> true);
            assertThat(harness.settled()).isLessThan(MESSAGES);
            assertThat(harness.state()).isEqualTo(PipelineState.BACKING_OFF);
            database.restore();

            await().atMost(Duration.ofSeconds(60)).until(() -> harness.settled() >= MESSAGES);
            assertThat(harness.documents(index)).isEqualTo(expected(index));
            assertThat(harness.deadLetterTypes()).isEmpty();
        }
    }

    /** Document K(i mod 6) gets seq i: the last message for each document decides its content. */
    private static List<String> messages(String index) {
        List<String> messages = new ArrayList<>();
        for (int i = 0; i < MESSAGES; i++) {
            messages.add("{\"action\":\"index\",\"index\":\"" + index + "\",\"id\":\"K" + i % DOCUMENTS
                    + "\",\"doc\":{\"seq\":" + i + "}}");
        }
        return messages;
    }

    private static Map<String, Map<String, Object>> expected(String index) {
        Map<String, Map<String, Object>> documents = new TreeMap<>();
        for (int i = MESSAGES - DOCUMENTS; i < MESSAGES; i++) {
            documents.put(index + "/K" + i % DOCUMENTS, Map.of("seq", i, "extra", "row-" + i % DOCUMENTS));
        }
        return documents;
    }

    private static int port(String jdbcUrl) {
        return Integer.parseInt(jdbcUrl.replaceFirst(".*://[^:/]+:(\\d+)/.*", "$1"));
    }
}
