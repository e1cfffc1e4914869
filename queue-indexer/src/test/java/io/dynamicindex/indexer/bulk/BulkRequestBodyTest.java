package io.dynamicindex.indexer.bulk;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import io.dynamicindex.indexer.document.DocumentKey;
import io.dynamicindex.indexer.document.IndexOperation;
import io.dynamicindex.indexer.document.Phase;

class BulkRequestBodyTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final BulkRequestBody body = new BulkRequestBody(JSON);

    @Test
    void neverWritesAVersionOnAnUpdateAction() {
        IndexOperation update = new IndexOperation(Phase.UPDATE, new DocumentKey("products", "A"), null, 7L,
                JSON.readTree("{\"price\":3}"), false);

        assertThat(lines(update)).containsExactly(
                "{\"update\":{\"_index\":\"products\",\"_id\":\"A\",\"retry_on_conflict\":3}}",
                "{\"doc\":{\"price\":3}}");
    }

    @Test
    void keepsTheExternalVersionOnIndexAndDelete() {
        IndexOperation index = new IndexOperation(Phase.INDEX, new DocumentKey("products", "A"), "r1", 7L,
                JSON.readTree("{\"price\":3}"), false);
        IndexOperation delete = IndexOperation.delete(Phase.DELETE, new DocumentKey("products", "B"), null, 8L);

        assertThat(lines(index, delete)).containsExactly(
                "{\"index\":{\"_index\":\"products\",\"_id\":\"A\",\"routing\":\"r1\",\"version\":7,"
                        + "\"version_type\":\"external\"}}",
                "{\"price\":3}",
                "{\"delete\":{\"_index\":\"products\",\"_id\":\"B\",\"version\":8,\"version_type\":\"external\"}}");
    }

    private List<String> lines(IndexOperation... operations) {
        return new String(body.write(List.of(operations)), StandardCharsets.UTF_8).lines().toList();
    }
}
