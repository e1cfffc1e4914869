package io.dynamicindex.indexer.rebuild;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class AliasSwitchTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void aConcreteIndexOfTheAliasNameIsRemovedInTheSameCall() {
        assertThat(body(AliasState.concrete())).isEqualTo("{\"actions\":["
                + "{\"remove_index\":{\"index\":\"products\"}},"
                + "{\"add\":{\"index\":\"products-2\",\"alias\":\"products\"}}]}");
    }

    @Test
    void theAliasLeavesEveryOldIndexAndTheOldIndicesStay() {
        assertThat(body(AliasState.aliasOf(List.of("products-1", "products-0")))).isEqualTo("{\"actions\":["
                + "{\"remove\":{\"index\":\"products-1\",\"alias\":\"products\"}},"
                + "{\"remove\":{\"index\":\"products-0\",\"alias\":\"products\"}},"
                + "{\"add\":{\"index\":\"products-2\",\"alias\":\"products\"}}]}");
    }

    @Test
    void anAliasAlreadyOnTheTargetIsAddedAgainHarmlessly() {
        assertThat(body(AliasState.aliasOf(List.of("products-2")))).isEqualTo("{\"actions\":["
                + "{\"add\":{\"index\":\"products-2\",\"alias\":\"products\"}}]}");
    }

    @Test
    void anUnusedNameIsOnlyAdded() {
        assertThat(body(AliasState.absent())).isEqualTo("{\"actions\":["
                + "{\"add\":{\"index\":\"products-2\",\"alias\":\"products\"}}]}");
        assertThat(AliasState.absent().describe("products")).isEqualTo("nothing");
        assertThat(AliasState.concrete().describe("products")).isEqualTo("index products (removed by the switch)");
    }

    private static String body(AliasState current) {
        return JSON.writeValueAsString(AliasSwitch.body(JSON, "products", "products-2", current));
    }
}
