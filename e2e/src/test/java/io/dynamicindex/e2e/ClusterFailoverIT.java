package io.dynamicindex.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import io.dynamicindex.infra.ElasticsearchEndpoint;
import io.dynamicindex.infra.ElasticsearchService;
import io.dynamicindex.infra.PostgresEndpoint;
import io.dynamicindex.infra.PostgresService;
import io.dynamicindex.infra.RabbitCluster;
import io.dynamicindex.infra.RabbitNode;
import io.dynamicindex.infra.TestNames;

/**
 * The three daemons as processes on a three-node RabbitMQ cluster of the test's own, every daemon given all three
 * addresses, so every queue is a quorum queue (source, index and their parking queues). A partner sends a steady
 * stream and retries every refused request with the same Idempotency-Key; meanwhile the node that leads the index
 * queue is killed with SIGKILL and restarted later, then the node that leads the source queue. At the end
 * Elasticsearch equals the sequential model of every accepted change, nothing is dead-lettered and nothing is left in
 * either queue. Prints the longest time a request was refused (the 503 window) and the applied rate before, during
 * and after each node's loss.
 */
class ClusterFailoverIT {

    private static final Duration STEADY = Duration.ofSeconds(5);
    private static final Duration NODE_DOWN = Duration.ofSeconds(6);
    private static final Duration SAMPLE_EVERY = Duration.ofMillis(500);
    /** The longest a partner may be refused around a node's loss: a few confirm timeouts (3 s each here). */
    private static final Duration MAX_REFUSAL = Duration.ofSeconds(30);

    private final ElasticsearchEndpoint elasticsearch = ElasticsearchService.endpoint();
    private final PostgresEndpoint postgres = PostgresService.endpoint();
    private final String index = TestNames.unique("cluster_products");
    private final List<long[]> applied = new CopyOnWriteArrayList<>();
    private final long started = System.nanoTime();

    @Test
    void losesNothingWhenTheLeaderOfTheIndexQueueAndThenOfTheSourceQueueDies() throws Exception {
        assumeTrue(RabbitNode.availability() == null, RabbitNode.availability());
        try (RabbitCluster cluster = RabbitCluster.start();
             ChaosPipeline pipeline = new ChaosPipeline(cluster.springProperties(), cluster.schedulerProperties(),
                     postgres, port(postgres.jdbcUrl()), elasticsearch.url())) {
            ChaosPartner partner = new ChaosPartner(pipeline, index, new Random(7));
            Thread traffic = new Thread(partner, "cluster-partner");
            Thread sampler = new Thread(() -> sample(pipeline), "cluster-applied-sampler");
            traffic.start();
            sampler.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> cluster.queueType(pipeline.target()) != null);
            assertThat(cluster.queueType(pipeline.source())).isEqualTo("quorum");
            assertThat(cluster.queueType(pipeline.target())).isEqualTo("quorum");

            long[] indexLoss = loseLeader(cluster, pipeline.target());
            long[] sourceLoss = loseLeader(cluster, pipeline.source());
            partner.stop();
            traffic.join();
            assertThat(partner.failure()).as("the partner's thread ended by itself").isNull();

            Map<String, Map<String, Object>> expected = partner.model();
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                assertThat(ChaosPartner.documents(elasticsearch, index)).isEqualTo(expected);
                assertThat(cluster.messages(pipeline.source())).containsExactly(0, 0);
                assertThat(cluster.messages(pipeline.target())).containsExactly(0, 0);
            });
            sampler.interrupt();
            pipeline.collectCounters();
            report(partner, pipeline, indexLoss, sourceLoss);
            assertThat(pipeline.counter("dead_lettered")).isZero();
            assertThat(partner.accepted()).as("changes accepted around two node losses").isGreaterThan(1_000);
            assertThat(partner.longestRefusal()).as("the 503 window").isLessThan(MAX_REFUSAL);
        } finally {
            elasticsearch.deleteIndex(index);
        }
    }

    /**
     * Kills the node that leads the queue after a steady stretch, restarts it after a while, and lets the pipeline
     * run steady again; returns when each step began (nanoseconds since the test began): kill, restart, end.
     */
    private long[] loseLeader(RabbitCluster cluster, String queue) throws InterruptedException {
        ChaosIT.pause(STEADY);
        RabbitNode leader = cluster.leaderOf(queue);
        long killed = elapsed();
        System.out.printf("[cluster] kill -9 %s, the leader of %s%n", leader.name(), queue);
        leader.kill();
        ChaosIT.pause(NODE_DOWN);
        long restarted = elapsed();
        leader.restart();
        System.out.printf("[cluster] %s restarted after %d ms%n", leader.name(),
                Duration.ofNanos(elapsed() - restarted).toMillis());
        ChaosIT.pause(STEADY);
        return new long[] {killed, restarted, elapsed()};
    }

    /** Samples the indexer's applied counter until interrupted: {nanoseconds since start, count}. */
    private void sample(ChaosPipeline pipeline) {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                applied.add(new long[] {elapsed(), Math.round(pipeline.current("queue-indexer", "applied"))});
                Thread.sleep(SAMPLE_EVERY.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void report(ChaosPartner partner, ChaosPipeline pipeline, long[] indexLoss, long[] sourceLoss) {
        System.out.printf("[cluster] sent %d changes in %d requests (%d attempts), accepted %d; moved %d, applied %d,"
                        + " dead-lettered %d; longest refusal of one request (the 503 window) %d ms%n",
                partner.sent(), partner.requests(), partner.attempts(), partner.accepted(),
                pipeline.counter("moved"), pipeline.counter("applied"), pipeline.counter("dead_lettered"),
                partner.longestRefusal().toMillis());
        for (Map.Entry<String, long[]> loss : Map.of("index queue", indexLoss, "source queue", sourceLoss)
                .entrySet()) {
            long[] at = loss.getValue();
            System.out.printf("[cluster] leader of the %s lost: applied/s before %.0f, node down %.0f, after restart"
                    + " %.0f%n", loss.getKey(), rate(at[0] - STEADY.toNanos(), at[0]), rate(at[0], at[1]),
                    rate(at[1], at[2]));
        }
    }

    /** Changes applied per second between two moments, from the samples nearest to them. */
    private double rate(long from, long to) {
        long[] first = nearest(from);
        long[] last = nearest(to);
        return last[0] == first[0] ? 0 : (last[1] - first[1]) * 1e9 / (last[0] - first[0]);
    }

    private long[] nearest(long at) {
        long[] best = applied.get(0);
        for (long[] sample : applied) {
            if (Math.abs(sample[0] - at) < Math.abs(best[0] - at)) {
                best = sample;
            }
        }
        return best;
    }

    private long elapsed() {
        return System.nanoTime() - started;
    }

    private static int port(String jdbcUrl) {
        return Integer.parseInt(jdbcUrl.replaceFirst(".*://[^:/]+:(\\d+)/.*", "$1"));
    }
}
