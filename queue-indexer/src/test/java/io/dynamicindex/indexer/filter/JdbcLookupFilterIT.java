package io.dynamicindex.indexer.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

import io.dynamicindex.indexer.IndexerHarness;

/** The JDBC lookup filter enriches documents from PostgreSQL rows with one query per batch. */
class JdbcLookupFilterIT {

    @Test
    void enrichesEachBatchWithOneQuery() throws Exception {
        try (IndexerHarness harness = new IndexerHarness()) {
            String table = "\"" + harness.schema + "\".product";
            try (Connection connection = harness.postgres.connect(); Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE " + table + " (id text PRIMARY KEY, name text, price int)");
                statement.execute("INSERT INTO " + table + " SELECT 'P' || n, 'Product ' || n, 100 + n "
                        + "FROM generate_series(0, 299) AS n");
            }
            String index = harness.index("enriched");
            Map<String, String> properties = harness.properties();
            properties.put("dynamic-index.indexer.jdbc-filters.lookup.query",
                    "SELECT id, name, price FROM " + table + " WHERE id = ANY(?)");
            properties.put("dynamic-index.indexer.queues." + harness.queue + ".filter", "lookup");
            properties.put("dynamic-index.indexer.buffer.max-size", "50");
            ConfigurableApplicationContext indexer = harness.start(properties);

            List<String> messages = new ArrayList<>();
            for (int i = 0; i < 320; i++) {
                messages.add("{\"action\":\"index\",\"index\":\"" + index + "\",\"id\":\"P" + i
                        + "\",\"doc\":{\"shop\":\"TSHOP\"}}");
            }
            harness.publish(messages);

            await().atMost(Duration.ofSeconds(60)).until(() -> harness.settled() >= messages.size());
            assertThat(harness.elasticsearch.source(index, "P7"))
                    .isEqualTo("{\"shop\":\"TSHOP\",\"name\":\"Product 7\",\"price\":107}");
            assertThat(harness.elasticsearch.source(index, "P310")).isEqualTo("{\"shop\":\"TSHOP\"}");
            MeterRegistry meters = indexer.getBean(MeterRegistry.class);
            double queries = meters.get("dynamicindex.indexer.filter.queries").counter().count();
            long batches = meters.get("dynamicindex.indexer.batch.size").summary().count();
            assertThat(queries).isEqualTo(batches).isLessThanOrEqualTo(messages.size() / 5.0);
        }
    }

    @Test
    void refusesToStartWithAQueryPostgresCannotRunNamingItsKey() throws Exception {
        try (IndexerHarness harness = new IndexerHarness()) {
            Map<String, String> properties = harness.properties();
            properties.put("dynamic-index.indexer.jdbc-filters.lookup.query",
                    "SELECT id, name FROM no_such_table WHERE id = ANY(?)");
            properties.put("dynamic-index.indexer.queues." + harness.queue + ".filter", "lookup");

            assertThatThrownBy(() -> harness.start(properties))
                    .hasStackTraceContaining("dynamic-index.indexer.jdbc-filters.lookup.query='SELECT id, name FROM "
                            + "no_such_table WHERE id = ANY(?)' does not run on PostgreSQL")
                    .hasStackTraceContaining("no_such_table");
        }
    }
}
