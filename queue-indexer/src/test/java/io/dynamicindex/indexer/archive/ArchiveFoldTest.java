package io.dynamicindex.indexer.archive;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.dynamicindex.indexer.bulk.ItemOutcome;
import io.dynamicindex.indexer.bulk.PhasedApplier.Failure;
import io.dynamicindex.indexer.bulk.PhasedApplier.MessageOutcome;
import io.dynamicindex.indexer.document.DocumentKey;
import io.dynamicindex.indexer.document.IndexOperation;
import io.dynamicindex.indexer.document.Phase;

class ArchiveFoldTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final DocumentKey KEY = new DocumentKey("products", "1");

    @Test
    void indexThenUpdatesMergeObjectsRecursivelyAsElasticsearchDoes() {
        ArchiveFold.Result result = ArchiveFold.fold(Map.of(), List.of(
                operation(Phase.INDEX, null, "{\"name\":\"a\",\"price\":{\"eur\":1,\"usd\":2}}", false),
                operation(Phase.UPDATE, null, "{\"price\":{\"eur\":3},\"tags\":[\"x\"]}", false)));

        assertThat(result.changed().get(KEY).document())
                .isEqualTo(json("{\"name\":\"a\",\"price\":{\"eur\":3,\"usd\":2},\"tags\":[\"x\"]}"));
        assertThat(result.effective()).hasSize(2);
    }

    @Test
    void anOlderVersionNeverOverwritesANewerArchivedOne() {
        Map<DocumentKey, DocumentState> current = Map.of(KEY, new DocumentState(null, 7L, json("{\"v\":7}")));

        ArchiveFold.Result result = ArchiveFold.fold(current, List.of(
                operation(Phase.INDEX, 5L, "{\"v\":5}", false),
                IndexOperation.delete(Phase.DELETE, KEY, null, 7L)));

        assertThat(result.changed()).isEmpty();
        assertThat(result.effective()).isEmpty();
    }

    @Test
    void aDeleteLeavesATombstoneThatKeepsTheVersion() {
        Map<DocumentKey, DocumentState> current = Map.of(KEY, new DocumentState("r1", 7L, json("{\"v\":7}")));

        ArchiveFold.Result result = ArchiveFold.fold(current, List.of(
                IndexOperation.delete(Phase.DELETE, KEY, null, 9L),
                operation(Phase.INDEX, 8L, "{\"v\":8}", false)));

        assertThat(result.changed().get(KEY)).isEqualTo(new DocumentState("r1", 9L, null));
        assertThat(result.changed().get(KEY).deleted()).isTrue();
    }

    @Test
    void anUpdateOfAMissingDocumentCreatesItOnlyWithUpsert() {
        assertThat(ArchiveFold.fold(Map.of(), List.of(operation(Phase.UPDATE, null, "{\"a\":1}", false)))
                .changed()).isEmpty();
        assertThat(ArchiveFold.fold(Map.of(), List.of(operation(Phase.UPDATE, null, "{\"a\":1}", true)))
                .changed().get(KEY).document()).isEqualTo(json("{\"a\":1}"));
    }

    @Test
    void failedOperationsAreLeftOutButTheirMessagesOtherOperationsAreNot() {
        IndexOperation prevDelete = IndexOperation.delete(Phase.PREV_DELETE, new DocumentKey("products", "0"), null,
                null);
        IndexOperation refused = operation(Phase.INDEX, null, "{\"a\":1}", false);
        IndexOperation next = operation(Phase.UPDATE, null, "{\"b\":1}", true);

        List<IndexOperation> applied = ArchiveWriter.applied(List.of(List.of(prevDelete, refused), List.of(next)),
                List.of(new MessageOutcome(List.of(new Failure(refused, new ItemOutcome(
                        ItemOutcome.Status.DEAD_LETTER, "mapper_parsing_exception", "bad"))), 0),
                        new MessageOutcome(List.of(), 0)));

        assertThat(applied).containsExactly(prevDelete, next);
    }

    @Test
    void nulCharactersAreWhatTheArchiveCannotStore() {
        assertThat(ArchiveWriter.unstorable(operation(Phase.INDEX, null, "{\"a\":[{\"b\":\"x\"}]}", false))).isNull();
        assertThat(ArchiveWriter.unstorable(operation(Phase.INDEX, null, "{\"a\":[{\"b\":\"x\\u0000\"}]}", false)))
                .contains("NUL");
        assertThat(ArchiveWriter.unstorable(operation(Phase.INDEX, null, "{\"a\\u0000\":1}", false))).contains("NUL");
        assertThat(ArchiveWriter.unstorable(IndexOperation.delete(Phase.DELETE, new DocumentKey("p", "x\u0000"), null,
                null))).contains("id");
    }

    private static IndexOperation operation(Phase phase, Long version, String doc, boolean upsert) {
        return new IndexOperation(phase, KEY, null, version, json(doc), upsert);
    }

    private static JsonNode json(String text) {
        return JSON.readTree(text);
    }
}
