package io.dynamicindex.indexer.filter;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import io.dynamicindex.indexer.document.DocumentKey;
import io.dynamicindex.indexer.document.IndexOperation;
import io.dynamicindex.indexer.document.Phase;

class EmptyFilterTest {

    private final JsonMapper json = JsonMapper.builder().build();

    @Test
    void turnsACanonicalMessageIntoPrevDeletesActionAndTriggerDeletes() {
        FilterResult result = translate("{\"action\":\"index\",\"index\":\"products\",\"id\":\"P-1\","
                + "\"version\":7,\"doc\":{\"price\":1290},\"prevDelete\":[{\"index\":\"products\",\"id\":\"OLD\"}],"
                + "\"triggerDelete\":[{\"index\":\"unmatched\",\"id\":\"P-1\"}]}");

        assertThat(result).isInstanceOfSatisfying(FilterResult.Accepted.class, accepted -> {
            List<IndexOperation> operations = accepted.operations();
            assertThat(operations).extracting(IndexOperation::phase)
                    .containsExactly(Phase.PREV_DELETE, Phase.INDEX, Phase.TRIGGER_DELETE);
            assertThat(operations.get(0).key()).isEqualTo(new DocumentKey("products", "OLD"));
            assertThat(operations.get(1).version()).isEqualTo(7L);
            assertThat(operations.get(2).key()).isEqualTo(new DocumentKey("unmatched", "P-1"));
        });
    }

    @Test
    void readsUpdateWithUpsert() {
        FilterResult result = translate("{\"action\":\"update\",\"index\":\"p\",\"id\":\"1\",\"upsert\":true,"
                + "\"doc\":{\"price\":1}}");
        assertThat(((FilterResult.Accepted) result).operations().get(0).upsert()).isTrue();
    }

    @Test
    void rejectsWithAReasonNamingTheField() {
        assertThat(translate("{\"action\":\"merge\",\"index\":\"p\",\"id\":\"1\"}"))
                .isEqualTo(new FilterResult.Rejected("unknown action 'merge': expected index, update or delete"));
        assertThat(translate("{\"action\":\"index\",\"index\":\"p\",\"doc\":{}}"))
                .isEqualTo(new FilterResult.Rejected("field 'id' is missing or not a string"));
        assertThat(translate("{\"action\":\"index\",\"index\":\"p\",\"id\":\"1\",\"doc\":[]}"))
                .isEqualTo(new FilterResult.Rejected("field 'doc' must be a JSON object"));
        assertThat(translate("{\"action\":\"delete\",\"index\":\"p\",\"id\":\"1\",\"version\":-3}"))
                .isEqualTo(new FilterResult.Rejected("field 'version' must be a positive long, got -3"));
    }

    private FilterResult translate(String message) {
        return new EmptyFilter().apply(List.of(new PartnerMessage("q", json.readTree(message)))).get(0);
    }
}
