package io.dynamicindex.scheduler.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.FileReader;
import java.io.IOException;
import java.io.Reader;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class SchedulerPlanTest {

    /** A Monday noon: the next Monday 03:00 is 6 days 15 hours away, the next 29 February two years. */
    private static final Clock MONDAY_NOON = Clock.fixed(Instant.parse("2026-03-02T12:00:00Z"), ZoneOffset.UTC);

    @Test
    void resolvesTheThreeRoutesOfTheLegacySampleFile() throws IOException {
        Properties sample = new Properties();
        try (Reader reader = new FileReader("../config/legacy/scheduler-legacy.properties")) {
            sample.load(reader);
        }
        SchedulerPlan plan = resolve(new HashMap<>(toMap(sample)));

        assertThat(plan.routes()).containsExactly(
                new Route("APL2->Q_INDEX1", "APL2", "Q_INDEX1", "*/1 * * * * *", 1000),
                new Route("PDM->Q_INDEX1", "PDM", "Q_INDEX1", "*/5 * * * * *", 3000),
                new Route("TSHOP->Q_INDEX2", "TSHOP", "Q_INDEX2", "*/10 * * * * *", 5000));
        assertThat(plan.source().host()).isEqualTo("127.0.0.1");
        assertThat(plan.target().port()).isEqualTo(5672);
    }

    @Test
    void resolvesStructuredRoutes() {
        SchedulerPlan plan = resolve(Map.of(
                "dynamic-index.scheduler.routes.tshop.source", "TSHOP",
                "dynamic-index.scheduler.routes.tshop.target", "Q_INDEX2",
                "dynamic-index.scheduler.routes.tshop.cron", "*/2 * * * * *",
                "dynamic-index.scheduler.routes.tshop.messages-per-tick", "250",
                "dynamic-index.scheduler.target.host", "index-broker"));
        assertThat(plan.routes()).containsExactly(new Route("tshop", "TSHOP", "Q_INDEX2", "*/2 * * * * *", 250));
        assertThat(plan.target().host()).isEqualTo("index-broker");
    }

    @Test
    void refusesAnInvalidCronNamingKeyAndValue() {
        assertThatThrownBy(() -> resolve(legacy("*/1 * * *", "10")))
                .hasMessageContaining("delivery.cron[0]='*/1 * * *' is not a valid cron expression");
    }

    @Test
    void refusesANonPositiveCount() {
        assertThatThrownBy(() -> resolve(legacy("*/1 * * * * *", "0")))
                .hasMessageContaining("delivery.period[0]='0'")
                .hasMessageContaining("positive");
        assertThatThrownBy(() -> resolve(legacy("*/1 * * * * *", "ten")))
                .hasMessageContaining("delivery.period[0]='ten'");
    }

    @Test
    void refusesParallelListsOfDifferentLengths() {
        Map<String, String> properties = legacy("*/1 * * * * *", "10,20");
        assertThatThrownBy(() -> resolve(properties))
                .hasMessageContaining("must have the same length; got 1, 2, 1 and 1");
    }

    @Test
    void refusesARouteWithoutTarget() {
        assertThatThrownBy(() -> resolve(Map.of(
                "dynamic-index.scheduler.routes.r.source", "A",
                "dynamic-index.scheduler.routes.r.cron", "* * * * * *",
                "dynamic-index.scheduler.routes.r.messages-per-tick", "1")))
                .hasMessageContaining("dynamic-index.scheduler.routes.r.target is missing");
    }

    @Test
    void refusesDuplicateRoutes() {
        Map<String, String> properties = new HashMap<>(legacy("*/1 * * * * *", "10"));
        properties.putAll(route("again", "APL2", "Q_INDEX1", "* * * * * *", "5"));
        assertThatThrownBy(() -> resolve(properties))
                .hasMessageContaining("routes 'again' and 'APL2->Q_INDEX1' both move from source queue APL2");
    }

    @Test
    void refusesTwoRoutesFromOneSourceQueueNamingBothRoutesAndTheQueue() {
        Map<String, String> properties = new HashMap<>(route("first", "TSHOP", "Q_INDEX1", "* * * * * *", "5"));
        properties.putAll(route("second", "TSHOP", "Q_INDEX2", "* * * * * *", "5"));

        assertThatThrownBy(() -> resolve(properties))
                .hasMessageContaining("source queue TSHOP")
                .hasMessageContaining("'first'")
                .hasMessageContaining("'second'");
    }

    @Test
    void acceptsRoutesFromDifferentSourceQueuesIntoOneTarget() {
        Map<String, String> properties = new HashMap<>(route("first", "TSHOP", "Q_INDEX1", "* * * * * *", "5"));
        properties.putAll(route("second", "PDM", "Q_INDEX1", "* * * * * *", "5"));

        assertThat(resolve(properties).routes()).extracting(Route::source).containsExactlyInAnyOrder("TSHOP", "PDM");
    }

    @Test
    void acceptsACountAtTheLimit() {
        SchedulerPlan plan = resolve(route("r", "A", "B", "* * * * * *", "100000"));

        assertThat(plan.routes()).singleElement().extracting(Route::messagesPerTick).isEqualTo(100_000);
        assertThat(plan.limits().maxMessagesPerTick()).isEqualTo(100_000);
    }

    @Test
    void refusesACountAboveTheLimitNamingKeyValueAndLimit() {
        assertThatThrownBy(() -> resolve(route("r", "A", "B", "* * * * * *", "2147483647")))
                .hasMessageContaining("dynamic-index.scheduler.routes.r.messages-per-tick=2147483647 is invalid")
                .hasMessageContaining("dynamic-index.scheduler.max-messages-per-tick=100000");
        assertThatThrownBy(() -> resolve(legacy("*/1 * * * * *", "100001")))
                .hasMessageContaining("delivery.period[0]='100001' is invalid")
                .hasMessageContaining("dynamic-index.scheduler.max-messages-per-tick=100000");
    }

    @Test
    void acceptsACountUpToARaisedLimit() {
        Map<String, String> properties = new HashMap<>(route("r", "A", "B", "* * * * * *", "1000000"));
        properties.put("dynamic-index.scheduler.max-messages-per-tick", "1000000");

        assertThat(resolve(properties).routes()).singleElement().extracting(Route::messagesPerTick)
                .isEqualTo(1_000_000);
    }

    @Test
    void acceptsACronThatFiresWithinTheHorizon() {
        SchedulerPlan plan = resolve(route("r", "A", "B", "0 0 3 * * MON", "10"));

        assertThat(plan.routes()).singleElement().extracting(Route::cron).isEqualTo("0 0 3 * * MON");
        assertThat(plan.limits().cronHorizon()).isEqualTo(Duration.ofDays(7));
    }

    @Test
    void refusesACronThatDoesNotFireWithinTheHorizonNamingKeyValueAndHorizon() {
        assertThatThrownBy(() -> resolve(route("r", "A", "B", "0 0 0 29 2 *", "10")))
                .hasMessageContaining("dynamic-index.scheduler.routes.r.cron='0 0 0 29 2 *' does not fire within "
                        + "dynamic-index.scheduler.cron-horizon=PT168H");
        Map<String, String> shortHorizon = new HashMap<>(route("r", "A", "B", "0 0 3 * * MON", "10"));
        shortHorizon.put("dynamic-index.scheduler.cron-horizon", "1d");
        assertThatThrownBy(() -> resolve(shortHorizon))
                .hasMessageContaining("dynamic-index.scheduler.cron-horizon=PT24H from now (next at 2026-03-09T03:00)");
    }

    @Test
    void acceptsARareCronWithinARaisedHorizon() {
        Map<String, String> properties = new HashMap<>(route("r", "A", "B", "0 0 0 29 2 *", "10"));
        properties.put("dynamic-index.scheduler.cron-horizon", "1500d");

        assertThat(resolve(properties).routes()).singleElement().extracting(Route::cron).isEqualTo("0 0 0 29 2 *");
    }

    @Test
    void refusesAHorizonThatIsNotPositive() {
        assertThatThrownBy(() -> resolve(Map.of("dynamic-index.scheduler.cron-horizon", "0s")))
                .hasMessageContaining("dynamic-index.scheduler.cron-horizon=PT0S is invalid");
    }

    @Test
    void fillsMissingCronAndCountFromTheDefaults() {
        SchedulerPlan plan = resolve(Map.of(
                "dynamic-index.scheduler.defaults.cron", "*/3 * * * * *",
                "dynamic-index.scheduler.defaults.messages-per-tick", "100",
                "dynamic-index.scheduler.routes.a.source", "A",
                "dynamic-index.scheduler.routes.a.target", "Q",
                "dynamic-index.scheduler.routes.b.source", "B",
                "dynamic-index.scheduler.routes.b.target", "Q",
                "dynamic-index.scheduler.routes.b.cron", "*/1 * * * * *",
                "dynamic-index.scheduler.routes.b.messages-per-tick", "7"));

        assertThat(plan.routes()).containsExactlyInAnyOrder(
                new Route("a", "A", "Q", "*/3 * * * * *", 100),
                new Route("b", "B", "Q", "*/1 * * * * *", 7));
    }

    @Test
    void refusesARouteWithoutCronNamingTheRouteKey() {
        assertThatThrownBy(() -> resolve(Map.of(
                "dynamic-index.scheduler.routes.r.source", "A",
                "dynamic-index.scheduler.routes.r.target", "Q",
                "dynamic-index.scheduler.routes.r.messages-per-tick", "1")))
                .hasMessageContaining("dynamic-index.scheduler.routes.r.cron is missing");
    }

    @Test
    void refusesAnInvalidDefaultCountNamingTheDefaultKey() {
        assertThatThrownBy(() -> resolve(Map.of(
                "dynamic-index.scheduler.defaults.messages-per-tick", "-5",
                "dynamic-index.scheduler.routes.r.source", "A",
                "dynamic-index.scheduler.routes.r.target", "Q",
                "dynamic-index.scheduler.routes.r.cron", "* * * * * *")))
                .hasMessageContaining("dynamic-index.scheduler.defaults.messages-per-tick=-5 is invalid for route 'r'");
    }

    @Test
    void refusesACronThatNeverFires() {
        assertThatThrownBy(() -> resolve(Map.of("dynamic-index.scheduler.routes.r.source", "A",
                "dynamic-index.scheduler.routes.r.target", "B",
                "dynamic-index.scheduler.routes.r.cron", "0 0 0 30 2 *",
                "dynamic-index.scheduler.routes.r.messages-per-tick", "10")))
                .hasMessageContaining("dynamic-index.scheduler.routes.r.cron='0 0 0 30 2 *' never fires");
    }

    @Test
    void acceptsALeaseOfTwiceTheConfirmTimeoutPlusTwoSeconds() {
        SchedulerPlan plan = resolve(Map.of("dynamic-index.scheduler.lease", "22s",
                "dynamic-index.scheduler.confirm-timeout", "10s"));

        assertThat(plan.routes()).isEmpty();
    }

    @Test
    void refusesALeaseShorterThanTwiceTheConfirmTimeout() {
        assertThatThrownBy(() -> resolve(Map.of("dynamic-index.scheduler.lease", "15s",
                "dynamic-index.scheduler.confirm-timeout", "10s")))
                .hasMessageContaining("dynamic-index.scheduler.lease=PT15S is too short for "
                        + "dynamic-index.scheduler.confirm-timeout=PT10S");
    }

    @Test
    void refusesARouteNameUsedTwice() {
        Map<String, String> properties = new HashMap<>(legacy("*/1 * * * * *", "10"));
        properties.put("dynamic-index.scheduler.routes.[APL2->Q_INDEX1].source", "OTHER");
        properties.put("dynamic-index.scheduler.routes.[APL2->Q_INDEX1].target", "Q_INDEX1");
        properties.put("dynamic-index.scheduler.routes.[APL2->Q_INDEX1].cron", "* * * * * *");
        properties.put("dynamic-index.scheduler.routes.[APL2->Q_INDEX1].messages-per-tick", "5");

        assertThatThrownBy(() -> resolve(properties)).hasMessageContaining("route name 'APL2->Q_INDEX1' is used twice");
    }

    @Test
    void takesTheAddressesOfAClusterInOrderAndTheArticlesHostOverAll() {
        SchedulerPlan plan = resolve(Map.of("dynamic-index.scheduler.source.addresses",
                "127.0.0.1:5673, 127.0.0.1:5674,127.0.0.1:5675", "dynamic-index.scheduler.target.addresses",
                "127.0.0.1:5673,127.0.0.1:5674", "delivery.target.host", "broker-b"));

        assertThat(plan.source().amqpAddresses()).extracting(Object::toString)
                .containsExactly("127.0.0.1:5673", "127.0.0.1:5674", "127.0.0.1:5675");
        assertThat(plan.source().clustered()).isTrue();
        assertThat(plan.target().amqpAddresses()).extracting(Object::toString).containsExactly("broker-b:5672");
        assertThat(plan.target().clustered()).isFalse();
        assertThat(plan.source().toString()).doesNotContain("guest,").contains("127.0.0.1:5675");
    }

    private static Map<String, String> route(String name, String source, String target, String cron,
                                             String count) {
        String prefix = "dynamic-index.scheduler.routes." + name + ".";
        return Map.of(prefix + "source", source, prefix + "target", target, prefix + "cron", cron,
                prefix + "messages-per-tick", count);
    }

    private static Map<String, String> legacy(String cron, String period) {
        return Map.of("delivery.cron", cron, "delivery.period", period,
                "delivery.source.queue-name", "APL2", "delivery.target.queue-name", "Q_INDEX1");
    }

    private static SchedulerPlan resolve(Map<String, String> properties) {
        Binder binder = new Binder(new MapConfigurationPropertySource(properties));
        SchedulerProperties structured = binder.bindOrCreate("dynamic-index.scheduler", SchedulerProperties.class);
        LegacyDeliveryProperties legacy = binder.bindOrCreate("delivery", LegacyDeliveryProperties.class);
        return SchedulerPlan.resolve(structured, legacy, MONDAY_NOON);
    }

    private static Map<String, String> toMap(Properties properties) {
        Map<String, String> map = new HashMap<>();
        properties.stringPropertyNames().forEach(name -> map.put(name, properties.getProperty(name)));
        return map;
    }
}
