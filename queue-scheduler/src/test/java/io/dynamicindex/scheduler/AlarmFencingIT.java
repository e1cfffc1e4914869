package io.dynamicindex.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import io.dynamicindex.infra.DaemonProcess;
import io.dynamicindex.infra.PostgresEndpoint;
import io.dynamicindex.infra.PostgresService;
import io.dynamicindex.infra.RabbitNode;
import io.dynamicindex.infra.TestNames;
import io.dynamicindex.scheduler.support.RoutesApi;
import io.dynamicindex.scheduler.support.Schedulers;
import io.dynamicindex.scheduler.support.TestQueues;

/**
 * Two scheduler instances share a route on a RabbitMQ node of the test's own while a memory alarm blocks their
 * target connections: no tick outlives the lease (a tick that cannot publish ends at once and gives its messages
 * back), and once the alarm clears every message arrives, first copies in source order.
 */
class AlarmFencingIT {

    private static final String ROUTE = "fenced";
    private static final Duration LEASE = Duration.ofSeconds(5);
    private static final int MESSAGES = 2000;

    @Test
    void noTickOutlivesItsLeaseWhileTheTargetIsBlockedByAnAlarm() throws Exception {
        assumeTrue(RabbitNode.availability() == null, RabbitNode.availability());
        PostgresEndpoint postgres = PostgresService.endpoint();
        String schema = TestNames.unique("sched_fence");
        postgres.createSchema(schema);
        try (RabbitNode node = RabbitNode.start(); TestQueues queues = new TestQueues(node.endpoint())) {
            String source = queues.declare("fence_src");
            String target = queues.declare("fence_dst");
            queues.fill(source, MESSAGES);
            Map<String, String> infrastructure = Schedulers.infrastructure(node.endpoint(), postgres, schema);
            Map<String, String> route = Schedulers.route(ROUTE, source, target, "*/1 * * * * *", 100);
            Map<String, String> timing = Map.of("dynamic-index.scheduler.lease", LEASE.toMillis() + "ms",
                    "dynamic-index.scheduler.confirm-timeout", "1s", "dynamic-index.scheduler.window", "50");
            try (DaemonProcess first = Schedulers.startProcess("fence-first", infrastructure, route, timing);
                 DaemonProcess second = Schedulers.startProcess("fence-second", infrastructure, route, timing)) {
                await().atMost(Duration.ofSeconds(30)).until(() -> MESSAGES - queues.count(source) >= 350);

                Instant alarmed = Instant.now();
                node.raiseMemoryAlarm();
                Set<RoutesApi.Tick> seen = new HashSet<>();
                List<RoutesApi> apis = List.of(new RoutesApi(first.url()), new RoutesApi(second.url()));
                long until = System.nanoTime() + LEASE.multipliedBy(3).toNanos();
                while (System.nanoTime() < until) {
                    apis.forEach(api -> seen.addAll(api.ticks(ROUTE)));
                    Thread.sleep(500);
                }
                node.clearAlarm();

                await().atMost(Duration.ofSeconds(90)).until(() -> queues.count(source) == 0);
                apis.forEach(api -> seen.addAll(api.ticks(ROUTE)));
                assertThat(seen).filteredOn(tick -> tick.started().isAfter(alarmed)).isNotEmpty();
                assertThat(seen).allSatisfy(tick -> assertThat(tick.millis())
                        .as("tick at %s (%s)", tick.started(), tick.outcome()).isLessThan(LEASE.toMillis()));
            }
            List<String> arrived = queues.drainIds(target);
            assertThat(new LinkedHashSet<>(arrived)).containsExactlyElementsOf(
                    IntStream.range(0, MESSAGES).mapToObj(i -> "m-" + i).toList());
        } finally {
            postgres.dropSchema(schema);
        }
    }
}
