package io.dynamicindex.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

import io.dynamicindex.infra.ElasticsearchEndpoint;
import io.dynamicindex.infra.ElasticsearchService;
import io.dynamicindex.infra.PostgresEndpoint;
import io.dynamicindex.infra.PostgresService;
import io.dynamicindex.infra.RabbitNode;
import io.dynamicindex.infra.TcpProxy;
import io.dynamicindex.infra.TestNames;

/**
 * The whole pipeline under chaos: the three daemons as processes against a RabbitMQ node of the test's own, a real
 * Elasticsearch and PostgreSQL (each behind a proxy that can cut it), a steady stream of changes from a partner that
 * retries every refused request with the same Idempotency-Key, and meanwhile, in an order drawn from the seed: kill
 * -9 and restart of each daemon, a broker restart, a memory alarm for 20 s, Elasticsearch cut for 30 s and PostgreSQL
 * cut for 20 s. At the end Elasticsearch equals the sequential model of every accepted change, and no message is left
 * in either queue, ready or unacknowledged. The seed is {@code -Dchaos.seed} (default 1).
 */
class ChaosIT {

    private static final Duration QUIET = Duration.ofSeconds(4);

    private final long seed = Long.getLong("chaos.seed", 1L);
    private final ElasticsearchEndpoint elasticsearch = ElasticsearchService.endpoint();
    private final PostgresEndpoint postgres = PostgresService.endpoint();
    private final String index = TestNames.unique("chaos_products");

    @Test
    void endsWhereSequentialApplicationEndsWhateverBreaks() throws Exception {
        assumeTrue(RabbitNode.availability() == null, RabbitNode.availability());
        URI es = URI.create(elasticsearch.url());
        try (RabbitNode node = RabbitNode.start();
             TcpProxy esProxy = new TcpProxy(es.getHost(), es.getPort());
             TcpProxy pgProxy = new TcpProxy("127.0.0.1", port(postgres.jdbcUrl()));
             ChaosPipeline pipeline = new ChaosPipeline(node.endpoint(), postgres, pgProxy.port(),
                     "http://127.0.0.1:" + esProxy.port())) {
            ChaosPartner partner = new ChaosPartner(pipeline, index, new Random(seed));
            Thread traffic = new Thread(partner, "chaos-partner");
            traffic.start();
            for (Fault fault : faults(node, esProxy, pgProxy, pipeline)) {
                pause(QUIET);
                System.out.printf("[chaos] seed %d: %s%n", seed, fault.name());
                fault.run();
            }
            pause(QUIET);
            partner.stop();
            traffic.join();
            assertThat(partner.failure()).as("the partner's thread ended by itself").isNull();
            assertThat(partner.accepted()).as("changes accepted through every fault").isGreaterThan(1_000);

            Map<String, Map<String, Object>> expected = partner.model();
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                assertThat(ChaosPartner.documents(elasticsearch, index)).isEqualTo(expected);
                assertThat(node.messages(pipeline.source())).containsExactly(0, 0);
                assertThat(node.messages(pipeline.target())).containsExactly(0, 0);
            });
            pipeline.collectCounters();
            System.out.printf("[chaos] seed %d: sent %d changes in %d requests (%d attempts), accepted %d; moved %d,"
                            + " applied %d, dead-lettered %d, bulk items retried %d; %d documents at the end%n", seed,
                    partner.sent(), partner.requests(), partner.attempts(), partner.accepted(),
                    pipeline.counter("moved"), pipeline.counter("applied"), pipeline.counter("dead_lettered"),
                    pipeline.counter("retries"), expected.size());
            assertThat(pipeline.counter("dead_lettered")).isZero();
        } finally {
            elasticsearch.deleteIndex(index);
        }
    }

    /** One thing that breaks, and how it ends. */
    private record Fault(String name, Step step) {
        void run() throws Exception {
            step.run();
        }
    }

    @FunctionalInterface
    private interface Step {
        void run() throws Exception;
    }

    private List<Fault> faults(RabbitNode node, TcpProxy esProxy, TcpProxy pgProxy, ChaosPipeline pipeline) {
        List<Fault> faults = new ArrayList<>(List.of(
                new Fault("kill -9 and restart queue-server", () -> pipeline.killAndRestart("queue-server")),
                new Fault("kill -9 and restart queue-scheduler", () -> pipeline.killAndRestart("queue-scheduler")),
                new Fault("kill -9 and restart queue-indexer", () -> pipeline.killAndRestart("queue-indexer")),
                new Fault("restart the broker", () -> {
                    node.stop();
                    pause(Duration.ofSeconds(3));
                    node.restart();
                }),
                new Fault("memory alarm for 20 s", () -> {
                    node.raiseMemoryAlarm();
                    pause(Duration.ofSeconds(20));
                    node.clearAlarm();
                }),
                new Fault("Elasticsearch unreachable for 30 s", () -> {
                    esProxy.cut();
                    pause(Duration.ofSeconds(30));
                    esProxy.restore();
                }),
                new Fault("PostgreSQL unreachable for 20 s", () -> {
                    pgProxy.cut();
                    pause(Duration.ofSeconds(20));
                    pgProxy.restore();
                })));
        Collections.shuffle(faults, new Random(seed));
        return faults;
    }

    private static int port(String jdbcUrl) {
        return Integer.parseInt(jdbcUrl.replaceFirst(".*://[^:/]+:(\\d+)/.*", "$1"));
    }

    static void pause(Duration duration) throws InterruptedException {
        Thread.sleep(duration.toMillis());
    }
}
