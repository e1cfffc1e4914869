package io.dynamicindex.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.dynamicindex.infra.PostgresEndpoint;
import io.dynamicindex.infra.PostgresService;
import io.dynamicindex.infra.TestNames;
import io.dynamicindex.scheduler.support.RoutesApi;
import io.dynamicindex.scheduler.support.RoutesApi.Tick;
import io.dynamicindex.scheduler.support.Schedulers;
import io.dynamicindex.scheduler.support.TestQueues;

/** Pause, resume and changes of N and cron over the HTTP API: next tick, and after a restart. */
class RuntimeControlIT {

    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final String ROUTE = "ctl";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final TestQueues queues = new TestQueues();
    private final PostgresEndpoint postgres = PostgresService.endpoint();
    private final String schema = TestNames.unique("sched_ctl");
    private ConfigurableApplicationContext scheduler;
    private Map<String, String> properties;

    @BeforeEach
    void startScheduler() throws Exception {
        postgres.createSchema(schema);
        String source = queues.declare("ctl_src");
        String target = queues.declare("ctl_dst");
        queues.fill(source, 5000);
        properties = new HashMap<>(Schedulers.infrastructure(queues.rabbit(), postgres, schema));
        properties.putAll(Schedulers.route(ROUTE, source, target, "*/1 * * * * *", 10));
        // a short horizon, so that a yearly cron is refused whatever today's date
        properties.put("dynamic-index.scheduler.cron-horizon", "5s");
        scheduler = Schedulers.startInJvm(properties);
    }

    @AfterEach
    void cleanUp() throws Exception {
        if (scheduler != null) {
            scheduler.close();
        }
        queues.close();
        postgres.dropSchema(schema);
    }

    @Test
    void pauseResumeAndANewNTakeEffectOnTheNextTickAndSurviveARestart() {
        RoutesApi api = RoutesApi.of(scheduler);
        awaitTickAfter(api, Instant.EPOCH, "MOVED", 10);

        assertThat(api.pause(ROUTE).path("paused").asBoolean()).isTrue();
        Instant paused = Instant.now();
        assertThat(awaitTickAfter(api, paused, null, -1).outcome()).isEqualTo("PAUSED");
        long movedWhenPaused = api.route(ROUTE).path("moved").asLong();

        JsonNode changed = json(api.patch(ROUTE, "{\"messagesPerTick\": 25}"));
        assertThat(changed.path("messagesPerTick").asInt()).isEqualTo(25);
        assertThat(changed.path("configuredMessagesPerTick").asInt()).isEqualTo(10);
        assertThat(api.route(ROUTE).path("moved").asLong()).isEqualTo(movedWhenPaused);
        api.resume(ROUTE);
        Instant resumed = Instant.now();
        assertThat(awaitTickAfter(api, resumed, null, -1)).extracting(Tick::outcome, Tick::count)
                .containsExactly("MOVED", 25);

        api.pause(ROUTE);
        scheduler.close();
        scheduler = Schedulers.startInJvm(properties);
        api = RoutesApi.of(scheduler);

        JsonNode restarted = api.route(ROUTE);
        assertThat(restarted.path("paused").asBoolean()).isTrue();
        assertThat(restarted.path("messagesPerTick").asInt()).isEqualTo(25);
        assertThat(awaitTickAfter(api, Instant.EPOCH, null, -1).outcome()).isEqualTo("PAUSED");
        api.resume(ROUTE);
        Instant resumedAgain = Instant.now();
        assertThat(awaitTickAfter(api, resumedAgain, null, -1)).extracting(Tick::outcome, Tick::count)
                .containsExactly("MOVED", 25);
    }

    @Test
    void changesTheCronAndRefusesInvalidChanges() {
        RoutesApi api = RoutesApi.of(scheduler);
        JsonNode changed = json(api.patch(ROUTE, "{\"cron\": \"*/3 * * * * *\"}"));
        assertThat(changed.path("cron").asString()).isEqualTo("*/3 * * * * *");
        Instant change = Instant.now();

        Tick first = awaitTickAfter(api, change, "MOVED", 10);
        Tick second = awaitTickAfter(api, first.started(), "MOVED", 10);
        assertThat(Duration.between(first.started(), second.started())).isGreaterThan(Duration.ofMillis(2500));

        HttpResponse<String> badCron = api.patch(ROUTE, "{\"cron\": \"*/3 * *\"}");
        assertThat(badCron.statusCode()).isEqualTo(400);
        assertThat(badCron.body()).contains("cron='*/3 * *' is not a valid cron expression");
        HttpResponse<String> neverFires = api.patch(ROUTE, "{\"cron\": \"0 0 0 30 2 *\"}");
        assertThat(neverFires.statusCode()).isEqualTo(400);
        assertThat(neverFires.body()).contains("cron='0 0 0 30 2 *' never fires");
        HttpResponse<String> badCount = api.patch(ROUTE, "{\"messagesPerTick\": 0}");
        assertThat(badCount.statusCode()).isEqualTo(400);
        assertThat(badCount.body()).contains("messagesPerTick=0");
        HttpResponse<String> tooMany = api.patch(ROUTE, "{\"messagesPerTick\": 2147483647}");
        assertThat(tooMany.statusCode()).isEqualTo(400);
        assertThat(tooMany.body()).contains("messagesPerTick=2147483647 is invalid")
                .contains("dynamic-index.scheduler.max-messages-per-tick=100000");
        HttpResponse<String> tooRare = api.patch(ROUTE, "{\"cron\": \"0 0 0 1 1 *\"}");
        assertThat(tooRare.statusCode()).isEqualTo(400);
        assertThat(tooRare.body())
                .contains("cron='0 0 0 1 1 *' does not fire within dynamic-index.scheduler.cron-horizon=PT5S");
        JsonNode unchanged = api.route(ROUTE);
        assertThat(unchanged.path("cron").asString()).isEqualTo("*/3 * * * * *");
        assertThat(unchanged.path("messagesPerTick").asInt()).isEqualTo(10);
        assertThat(api.get("nope").statusCode()).isEqualTo(404);
    }

    /** The first tick that started after the instant (with the outcome and count, when given). */
    private static Tick awaitTickAfter(RoutesApi api, Instant after, String outcome, int count) {
        return await().atMost(PATIENCE).pollInterval(Duration.ofMillis(100)).until(() -> firstAfter(api, after),
                tick -> tick.isPresent() && (outcome == null || tick.get().outcome().equals(outcome)
                        && tick.get().count() == count)).orElseThrow();
    }

    private static Optional<Tick> firstAfter(RoutesApi api, Instant after) {
        List<Tick> ticks = api.ticks(ROUTE);
        return ticks.stream().filter(tick -> tick.started().isAfter(after)).findFirst();
    }

    private static JsonNode json(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }
}
