package io.dynamicindex.benchmark.stage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

import io.dynamicindex.benchmark.environment.Daemon;
import io.dynamicindex.benchmark.report.StageResult;
import io.dynamicindex.infra.TestNames;

/**
 * The outbox relay's rate beside the one-hop ceiling: a relay runs on the run's schema, one producer transaction
 * commits a backlog of outbox rows (canonical index changes of about 300 bytes, 1,000 documents), and the rate runs
 * from the first row in the source queue to the last, read off the queue's depth. Beside it: the relay's, RabbitMQ's
 * and PostgreSQL's CPU per row.
 */
public final class OutboxStage {

    private static final long POLL_MILLIS = 200;

    private final StageContext context;
    private final int rows;

    public OutboxStage(StageContext context, int rows) {
        this.context = context;
        this.rows = rows;
    }

    public StageResult run() throws Exception {
        String queue = TestNames.unique("bench_outbox");
        try (Daemon relay = context.daemons().outboxRelay(queue)) {
            context.progress().update("committing " + rows + " outbox rows in one transaction");
            insert(queue);
            // the queue's depth, read every 200 ms: the window opens at the first row in the queue
            DrainWatch.Drained relayed = DrainWatch.await(context, relay, rows, 1, POLL_MILLIS, "relayed",
                    () -> context.broker().depth(queue));
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("rows", rows);
            details.put("measuredRows", relayed.measured());
            details.put("machineUtilisation", relayed.usage().machineUtilisation());
            details.put("cpuSeconds", relayed.usage().cpuSeconds());
            details.put("rabbitmqCpuMicrosPerRow", relayed.micros("rabbitmq"));
            details.put("postgresqlCpuMicrosPerRow", relayed.micros("postgresql"));
            context.progress().done(String.format("relayed %d rows at %.0f rows/s (one RabbitMQ hop %.0f msgs/s)",
                    rows, relayed.rate(), context.rabbitCeiling().rate()));
            return new StageResult("outbox-relay", String.format("%,d outbox rows committed in one transaction, "
                    + "relayed with confirms (batches of 500) to a lazy classic queue", rows), relayed.rate(),
                    context.rabbitCeiling().name(), context.rabbitCeiling().rate(), null, null, "none",
                    Map.of(relay.name(), relayed.micros(relay.name()), "postgresql", relayed.micros("postgresql")),
                    Map.of(relay.name(), relay.peakRssMib()), details);
        } finally {
            context.broker().delete(queue);
            deleteRows(queue);
        }
    }

    private void insert(String queue) throws Exception {
        try (Connection connection = context.environment().postgres().connect();
             PreparedStatement statement = connection.prepareStatement("INSERT INTO \""
                     + context.environment().schema() + "\".outbox (queue, partner, document_key, payload) "
                     + "SELECT ?, 'benchmark', 'p' || (n % 1000), jsonb_build_object('action', 'index', 'index', "
                     + "'bench_outbox_products', 'id', 'p' || (n % 1000), 'doc', jsonb_build_object('name', "
                     + "'Product ' || n, 'brand', 'Brand ' || (n % 50), 'price', (n % 10000) / 100.0, "
                     + "'description', repeat('word ', 30))) FROM generate_series(1, ?) AS n")) {
            statement.setString(1, queue);
            statement.setInt(2, rows);
            statement.executeUpdate();
        }
    }

    private void deleteRows(String queue) throws Exception {
        try (Connection connection = context.environment().postgres().connect();
             Statement statement = connection.createStatement()) {
            statement.executeUpdate("DELETE FROM \"" + context.environment().schema() + "\".outbox WHERE queue = '"
                    + queue + "'");
        }
    }
}
