package io.dynamicindex.indexer.rebuild;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

class IndexSettingsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void fastCopyTurnsRefreshAndReplicasOffWhateverFormTheyAreGivenIn() {
        ObjectNode given = IndexSettings.parse(JSON, "{\"settings\":{\"index\":{\"number_of_replicas\":2,"
                + "\"number_of_shards\":3},\"refresh_interval\":\"5s\"},\"mappings\":{\"properties\":{}}}");

        assertThat(JSON.writeValueAsString(IndexSettings.forCreate(given, true))).isEqualTo("{\"settings\":"
                + "{\"index\":{\"number_of_shards\":3},\"index.refresh_interval\":\"-1\","
                + "\"index.number_of_replicas\":0},\"mappings\":{\"properties\":{}}}");
        assertThat(JSON.writeValueAsString(IndexSettings.restore(JSON, given)))
                .isEqualTo("{\"index\":{\"refresh_interval\":\"5s\",\"number_of_replicas\":2}}");
        assertThat(IndexSettings.forCreate(given, false)).isEqualTo(given);
    }

    @Test
    void whatWasNotGivenIsRestoredToElasticsearchsDefault() {
        ObjectNode given = IndexSettings.parse(JSON, "{\"mappings\":{\"properties\":{\"name\":{\"type\":\"text\"}}}}");

        assertThat(JSON.writeValueAsString(IndexSettings.forCreate(given, true))).isEqualTo("{\"mappings\":"
                + "{\"properties\":{\"name\":{\"type\":\"text\"}}},\"settings\":{\"index.refresh_interval\":\"-1\","
                + "\"index.number_of_replicas\":0}}");
        assertThat(JSON.writeValueAsString(IndexSettings.restore(JSON, given)))
                .isEqualTo("{\"index\":{\"refresh_interval\":null,\"number_of_replicas\":null}}");
    }

    @Test
    void refusesWhatIsNotACreateIndexBody() {
        assertRefused("{\"mappings\":", "not JSON");
        assertRefused("[1]", "must be a JSON object");
        assertRefused("{\"aliases\":{\"x\":{}}}", "unexpected field \"aliases\"");
        assertRefused("{\"mappings\":3}", "\"mappings\" must be a JSON object");
    }

    private static void assertRefused(String text, String message) {
        assertThatThrownBy(() -> IndexSettings.parse(JSON, text)).isInstanceOfSatisfying(RebuildRefusal.class,
                refusal -> assertThat(refusal.kind()).isEqualTo(RebuildRefusal.Kind.BAD_INPUT))
                .hasMessageContaining(message);
    }
}
