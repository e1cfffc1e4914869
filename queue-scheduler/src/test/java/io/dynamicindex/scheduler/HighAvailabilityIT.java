package io.dynamicindex.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.dynamicindex.infra.DaemonProcess;
import io.dynamicindex.infra.PostgresEndpoint;
import io.dynamicindex.infra.PostgresService;
import io.dynamicindex.infra.TestNames;
import io.dynamicindex.scheduler.support.RoutesApi;
import io.dynamicindex.scheduler.support.RoutesApi.Tick;
import io.dynamicindex.scheduler.support.Schedulers;
import io.dynamicindex.scheduler.support.TestQueues;

/** Two scheduler processes with the same route: one moves at N per tick; when it dies, the other takes over. */
class HighAvailabilityIT {

    private static final Logger LOG = LoggerFactory.getLogger(HighAvailabilityIT.class);
    private static final String ROUTE = "ha";
    private static final int PER_TICK = 20;
    private static final Duration LEASE = Duration.ofSeconds(4);
    private static final Duration CRON_INTERVAL = Duration.ofSeconds(1);
    /** The stated bound: the lease runs out, then the survivor's next tick takes the route. */
    private static final Duration TAKEOVER_BOUND = LEASE.plus(CRON_INTERVAL);
    /** A tick starts a few milliseconds after its cron time and asks the database; on a loaded machine, more. */
    private static final Duration TICK_LATENCY = Duration.ofSeconds(1);

    private final TestQueues queues = new TestQueues();
    private final PostgresEndpoint postgres = PostgresService.endpoint();
    private final String schema = TestNames.unique("sched_ha");
    private DaemonProcess first;
    private DaemonProcess second;

    @AfterEach
    void cleanUp() throws Exception {
        for (DaemonProcess daemon : new DaemonProcess[] {first, second}) {
            if (daemon != null) {
                daemon.kill();
            }
        }
        queues.close();
        postgres.dropSchema(schema);
    }

    @Test
    void onlyOneInstanceMovesAtNPerTickAndTheOtherTakesOverWithinTheBound() throws Exception {
        postgres.createSchema(schema);
        String source = queues.declare("ha_src");
        String target = queues.declare("ha_dst");
        queues.fill(source, 5000);
        Map<String, String> infrastructure = Schedulers.infrastructure(queues.rabbit(), postgres, schema);
        Map<String, String> route = Schedulers.route(ROUTE, source, target, "*/1 * * * * *", PER_TICK);
        Map<String, String> timing = Map.of("dynamic-index.scheduler.lease", LEASE.toMillis() + "ms",
                "dynamic-index.scheduler.confirm-timeout", "1s");
        first = Schedulers.startProcess("ha-first", infrastructure, route, timing);
        second = Schedulers.startProcess("ha-second", infrastructure, route, timing);
        RoutesApi firstApi = new RoutesApi(first.url());
        RoutesApi secondApi = new RoutesApi(second.url());
        Instant bothUp = Instant.now();
        await().atMost(Duration.ofSeconds(30)).until(() -> after(secondApi, bothUp).size() >= 6);

        boolean firstActive = firstApi.route(ROUTE).path("active").asBoolean();
        RoutesApi activeApi = firstActive ? firstApi : secondApi;
        RoutesApi standbyApi = firstActive ? secondApi : firstApi;
        assertThat(standbyApi.route(ROUTE).path("active").asBoolean()).isFalse();
        assertThat(after(standbyApi, bothUp)).isNotEmpty().allMatch(tick -> tick.outcome().equals("STANDBY"));
        assertThat(after(activeApi, bothUp)).isNotEmpty()
                .allMatch(tick -> tick.outcome().equals("MOVED") && tick.count() == PER_TICK);

        Instant killed = Instant.now();
        (firstActive ? first : second).kill();
        Tick takeover = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> after(standbyApi, killed).stream().filter(tick -> tick.outcome().equals("MOVED"))
                        .findFirst(), tick -> tick.isPresent()).orElseThrow();
        Duration handover = Duration.between(killed, takeover.started());
        LOG.info("the standby moved {} messages {} ms after the active instance was killed (bound {} ms)",
                takeover.count(), handover.toMillis(), TAKEOVER_BOUND.toMillis());

        assertThat(takeover.count()).isEqualTo(PER_TICK);
        assertThat(handover).isLessThanOrEqualTo(TAKEOVER_BOUND.plus(TICK_LATENCY));
    }

    private static List<Tick> after(RoutesApi api, Instant instant) {
        return api.ticks(ROUTE).stream().filter(tick -> tick.started().isAfter(instant)).toList();
    }
}
