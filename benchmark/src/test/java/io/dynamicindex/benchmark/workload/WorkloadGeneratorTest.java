package io.dynamicindex.benchmark.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class WorkloadGeneratorTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void indexMessagesAreCanonicalAndAboutFourHundredBytes() {
        WorkloadGenerator generator = new WorkloadGenerator("bench_products_1a2b3c4d", 1_000_000, Mix.INDEX_ONLY, 1);

        for (byte[] message : generator.batch(1_000, false).messages()) {
            JsonNode node = JSON.readTree(message);
            assertThat(node.path("action").asString()).isEqualTo("index");
            assertThat(node.path("doc").isObject()).isTrue();
            assertThat(message.length).isBetween(370, 430);
        }
    }

    @Test
    void followsTheMixAndRepeatsDocumentsOfASmallKeySpace() {
        WorkloadGenerator generator = new WorkloadGenerator("products", 1_000, Mix.DEFAULT, 7);
        Map<String, Integer> kinds = new HashMap<>();
        Set<String> ids = new HashSet<>();

        for (int i = 0; i < 10_000; i++) {
            JsonNode node = JSON.readTree(generator.message());
            String kind = node.has("prevDelete") ? "prevDelete" : node.has("triggerDelete") ? "triggerDelete"
                    : node.path("action").asString();
            kinds.merge(kind, 1, Integer::sum);
            ids.add(node.path("id").asString());
        }

        assertThat(kinds.get("index")).isBetween(6_700, 7_300);
        assertThat(kinds.get("update")).isBetween(1_300, 1_700);
        assertThat(kinds.get("delete")).isBetween(350, 650);
        assertThat(kinds.get("prevDelete")).isBetween(350, 650);
        assertThat(kinds.get("triggerDelete")).isBetween(350, 650);
        assertThat(ids).hasSizeLessThanOrEqualTo(1_000);
    }

    @Test
    void probeIsTheLastMessageWithAnIdOfItsOwn() {
        WorkloadGenerator generator = new WorkloadGenerator("products", 10, Mix.DEFAULT, 1);

        WorkloadGenerator.Batch first = generator.batch(100, true);
        WorkloadGenerator.Batch second = generator.batch(100, true);

        assertThat(first.messages()).hasSize(100);
        assertThat(first.probeId()).isNotEqualTo(second.probeId()).startsWith("probe-");
        String last = new String(first.messages().get(99), StandardCharsets.UTF_8);
        assertThat(JSON.readTree(last).path("id").asString()).isEqualTo(first.probeId());
        assertThat(generator.batch(100, false).probeId()).isNull();
    }

    @Test
    void parsesAMixAndRefusesOneThatDoesNotAddUp() {
        assertThat(Mix.parse("index=80,update=20")).isEqualTo(new Mix(80, 20, 0, 0, 0));
        assertThatThrownBy(() -> Mix.parse("index=80")).hasMessageContaining("adding up to 100");
        assertThatThrownBy(() -> Mix.parse("index=90,upsert=10")).hasMessageContaining("upsert");
    }
}
