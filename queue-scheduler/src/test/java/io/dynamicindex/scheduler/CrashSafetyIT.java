package io.dynamicindex.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.dynamicindex.infra.DaemonProcess;
import io.dynamicindex.infra.PostgresEndpoint;
import io.dynamicindex.infra.PostgresService;
import io.dynamicindex.infra.TestNames;
import io.dynamicindex.scheduler.support.RoutesApi;
import io.dynamicindex.scheduler.support.Schedulers;
import io.dynamicindex.scheduler.support.TestQueues;

/** kill -9 of a scheduler process in the middle of a move loses nothing. */
class CrashSafetyIT {

    private static final Logger LOG = LoggerFactory.getLogger(CrashSafetyIT.class);
    private static final int TOTAL = 30_000;
    private static final int PER_TICK = 15_000;
    private static final int WINDOW = 500;

    private final TestQueues queues = new TestQueues();
    private final PostgresEndpoint postgres = PostgresService.endpoint();
    private final String schema = TestNames.unique("sched_crash");
    private DaemonProcess scheduler;

    @AfterEach
    void cleanUp() throws Exception {
        if (scheduler != null) {
            scheduler.kill();
        }
        queues.close();
        postgres.dropSchema(schema);
    }

    @Test
    void killNineInTheMiddleOfAMoveLeavesEveryMessageInSourceOrTarget() throws Exception {
        postgres.createSchema(schema);
        String source = queues.declare("crash_src");
        String target = queues.declare("crash_dst");
        scheduler = Schedulers.startProcess("crash-scheduler",
                Schedulers.infrastructure(queues.rabbit(), postgres, schema),
                Schedulers.route("crash", source, target, "*/1 * * * * *", PER_TICK),
                Map.of("dynamic-index.scheduler.window", String.valueOf(WINDOW)));
        RoutesApi api = new RoutesApi(scheduler.url());
        api.pause("crash");
        queues.fill(source, TOTAL);
        api.resume("crash");

        // the target holds envelopes (the scheduler packs), so progress is read off the source: what left it
        long takenAtKill = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10))
                .until(() -> TOTAL - queues.count(source), taken -> taken >= 3 * WINDOW);
        scheduler.kill();
        scheduler = null;
        assertThat(takenAtKill).as("the kill fell inside the first tick of %s", PER_TICK).isLessThan(PER_TICK);

        // once the dead process's consumer is gone, the broker has requeued what it had not acknowledged
        await().atMost(Duration.ofSeconds(30)).until(() -> queues.consumers(source) == 0);
        List<String> inTarget = queues.drainIds(target);
        List<String> inSource = queues.drainIds(source);
        Set<String> present = new HashSet<>(inSource);
        present.addAll(inTarget);
        int duplicates = inSource.size() + inTarget.size() - present.size();
        LOG.info("kill -9 after {} taken: {} in the target, {} in the source, {} duplicate(s), {} lost",
                takenAtKill, inTarget.size(), inSource.size(), duplicates, TOTAL - present.size());

        assertThat(present).containsExactlyInAnyOrderElementsOf(
                IntStream.range(0, TOTAL).mapToObj(i -> "m-" + i).toList());
        assertThat(duplicates).as("only the one window in flight can be duplicated").isLessThanOrEqualTo(WINDOW);
    }
}
