package io.dynamicindex.outbox.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.dynamicindex.common.IndexAllowList;

/** The checks of a row before it is published, on the payloads as PostgreSQL hands them out ({@code jsonb::text}). */
class RowRulesTest {

    private static final RowRules RULES = new RowRules(Map.of("shop", IndexAllowList.of(List.of("products",
            "shop-*")), "open", IndexAllowList.any()), 1_000);

    @Test
    void passesAChangeWhoseIndicesAreAllAllowed() {
        assertThat(RULES.check(row("shop", "{\"id\": \"1\", \"index\": \"products\", \"action\": \"index\", "
                + "\"prevDelete\": [{\"id\": \"1\", \"index\": \"shop-old\"}], \"triggerDelete\": [{\"index\": "
                + "\"shop-a\"}, {\"id\": \"2\"}]}"))).isEmpty();
    }

    @Test
    void passesAChangeWithoutAnIndexOrWithANullOne() {
        assertThat(RULES.check(row("shop", "{\"seq\": 1}"))).isEmpty();
        assertThat(RULES.check(row("shop", "{\"index\": null, \"prevDelete\": [{\"index\": null}, 5, []]}")))
                .isEmpty();
    }

    @Test
    void passesAnyIndexOnAQueueWithoutAnAllowList() {
        assertThat(RULES.check(row("open", "{\"index\": \"secret\"}"))).isEmpty();
    }

    @Test
    void rejectsATopLevelIndexOutsideTheListNamingTheFieldAndTheIndex() {
        assertThat(RULES.check(row("shop", "{\"index\": \"secret\"}"))).hasValueSatisfying(rejection -> {
            assertThat(rejection.cause()).isEqualTo("index_not_allowed");
            assertThat(rejection.reason()).isEqualTo("index_not_allowed: index 'secret' is not in "
                    + "dynamic-index.outbox.queues.shop.indices [products, shop-*]");
        });
    }

    @Test
    void rejectsADeleteTargetOutsideTheListNamingItsPosition() {
        assertThat(RULES.check(row("shop", "{\"index\": \"products\", \"prevDelete\": [{\"index\": \"shop-a\"}, "
                + "{\"id\": \"x\", \"index\": \"secret\"}]}"))).get().extracting(OutboxStore.Rejection::detail)
                .asString().startsWith("prevDelete[1].index 'secret' is not in");
        assertThat(RULES.check(row("shop", "{\"triggerDelete\": [{\"index\": \"other\"}], \"index\": \"products\"}")))
                .get().extracting(OutboxStore.Rejection::detail).asString()
                .startsWith("triggerDelete[0].index 'other' is not in");
    }

    @Test
    void rejectsAnIndexThatIsNotAName() {
        assertThat(RULES.check(row("shop", "{\"index\": {\"name\": \"products\"}}"))).get()
                .extracting(OutboxStore.Rejection::detail).asString().startsWith("index (a JSON object) is not in");
        assertThat(RULES.check(row("shop", "{\"prevDelete\": [{\"index\": [\"products\"]}]}"))).get()
                .extracting(OutboxStore.Rejection::detail).asString()
                .startsWith("prevDelete[0].index (a JSON array) is not in");
    }

    @Test
    void rejectsAPayloadThatCannotBeReadToTheEndAsUnreadable() {
        String deep = "{\"doc\": " + "[".repeat(600) + "]".repeat(600) + ", \"index\": \"products\"}";

        assertThat(new RowRules(Map.of("shop", IndexAllowList.of(List.of("products"))), 10_000)
                .check(row("shop", deep))).get().satisfies(rejection -> {
                    assertThat(rejection.cause()).isEqualTo("unreadable_payload");
                    assertThat(rejection.detail()).contains("cannot be read to check its indices");
                });
    }

    @Test
    void checksTheQueueAndTheSizeBeforeTheIndices() {
        assertThat(RULES.check(row("unknown", "{\"index\": \"secret\"}"))).get()
                .extracting(OutboxStore.Rejection::cause).isEqualTo("unknown_queue");
        assertThat(RULES.check(row("shop", "{\"index\": \"secret\", \"pad\": \"" + "x".repeat(1_000) + "\"}")))
                .get().extracting(OutboxStore.Rejection::cause).isEqualTo("message_too_large");
    }

    @Test
    void listsTheRejectionsOfABatchInItsOrder() {
        List<OutboxRow> batch = List.of(row(1, "shop", "{\"index\": \"products\"}"),
                row(2, "shop", "{\"index\": \"secret\"}"), row(3, "nowhere", "{}"), row(4, "open", "{}"));

        assertThat(RULES.rejections(batch)).extracting(rejection -> rejection.row().id()).containsExactly(2L, 3L);
    }

    private static OutboxRow row(String queue, String payload) {
        return row(1, queue, payload);
    }

    private static OutboxRow row(long id, String queue, String payload) {
        return new OutboxRow(id, queue, "test", payload);
    }
}
