package io.dynamicindex.indexer.archive;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
                operation(Phase.UPDATE, null, "{\"price\":{\"eur\":3},\"tags\":[\"x\"]}", false)), Set.of());

        assertThat(result.changed().get(KEY).document())
                .isEqualTo(json("{\"name\":\"a\",\"price\":{\"eur\":3,\"usd\":2},\"tags\":[\"x\"]}"));
        assertThat(result.effective()).hasSize(2);
    }

    @Test
    void aRepeatChangesTheDocumentOnlyWhenNewerThanTheArchivedVersion() {
        Map<DocumentKey, DocumentState> current = Map.of(KEY, new DocumentState(null, 7L, json("{\"v\":7}")));
        IndexOperation older = operation(Phase.INDEX, 5L, "{\"v\":5}", false);
        IndexOperation same = IndexOperation.delete(Phase.DELETE, KEY, null, 7L);

        assertThat(ArchiveFold.fold(current, List.of(older, same), identity(older, same)).effective()).isEmpty();

        IndexOperation newer = operation(Phase.INDEX, 8L, "{\"v\":8}", false);
        assertThat(ArchiveFold.fold(current, List.of(newer), identity(newer)).changed().get(KEY))
                .isEqualTo(new DocumentState(null, 8L, json("{\"v\":8}")));
    }

    @Test
    void whatElasticsearchAppliedIsFoldedWhateverTheArchivedVersion() {
        Map<DocumentKey, DocumentState> current = Map.of(KEY, new DocumentState(null, 9L, null));

        ArchiveFold.Result result = ArchiveFold.fold(current, List.of(operation(Phase.INDEX, 8L, "{\"v\":8}", false)),
                Set.of());

        assertThat(result.changed().get(KEY)).isEqualTo(new DocumentState(null, 8L, json("{\"v\":8}")));
    }

    @Test
    void aDeleteLeavesATombstoneThatKeepsTheVersion() {
        Map<DocumentKey, DocumentState> current = Map.of(KEY, new DocumentState("r1", 7L, json("{\"v\":7}")));

        ArchiveFold.Result result = ArchiveFold.fold(current, List.of(
                IndexOperation.delete(Phase.DELETE, KEY, "r1", 9L)), Set.of());

        assertThat(result.changed().get(KEY)).isEqualTo(new DocumentState("r1", 9L, null));
        assertThat(result.changed().get(KEY).deleted()).isTrue();
    }

    @Test
    void aChangeWithoutVersionRaisesAVersionedDocumentsVersionAsElasticsearchDoes() {
        Map<DocumentKey, DocumentState> current = Map.of(KEY, new DocumentState(null, 10L, json("{\"v\":1}")));

        assertThat(ArchiveFold.fold(current, List.of(operation(Phase.INDEX, null, "{\"v\":2}", false),
                operation(Phase.UPDATE, null, "{\"w\":3}", false)), Set.of()).changed().get(KEY).version())
                .isEqualTo(12L);
        assertThat(ArchiveFold.fold(Map.of(), List.of(operation(Phase.INDEX, null, "{\"v\":2}", false)), Set.of())
                .changed().get(KEY).version()).isNull();
    }

    @Test
    void aVersionedDocumentTakesTheVersionElasticsearchAnsweredSoANoopUpdateKeepsIt() {
        Map<DocumentKey, DocumentState> current = Map.of(KEY, new DocumentState(null, 10L, json("{\"v\":1}")));
        IndexOperation noop = operation(Phase.UPDATE, null, "{\"v\":1}", false);
        IndexOperation index = operation(Phase.INDEX, null, "{\"v\":2}", false);

        assertThat(ArchiveFold.fold(current, List.of(noop), Set.of(), Map.of(noop, 10L)).changed().get(KEY))
                .isEqualTo(new DocumentState(null, 10L, json("{\"v\":1}")));
        assertThat(ArchiveFold.fold(current, List.of(noop, index), Set.of(), answered(noop, 10L, index, 11L))
                .changed().get(KEY).version()).as("the last applied operation decides").isEqualTo(11L);
        assertThat(ArchiveFold.fold(current, List.of(noop, index), Set.of(), answered(index, 11L))
                .changed().get(KEY).version()).as("an operation folded into the next has no answer").isEqualTo(11L);
    }

    @Test
    void anAnswerBelowTheArchivedVersionFallsBackToTheEstimate() {
        Map<DocumentKey, DocumentState> current = Map.of(KEY, new DocumentState(null, 11L, null));
        IndexOperation index = operation(Phase.INDEX, null, "{\"v\":2}", false);

        assertThat(ArchiveFold.fold(current, List.of(index), Set.of(), Map.of(index, 1L)).changed().get(KEY)
                .version()).as("Elasticsearch forgot the tombstone (index.gc_deletes)").isEqualTo(12L);
    }

    @Test
    void aDocumentNoVersionedChangeReachedKeepsNoVersionWhateverElasticsearchAnswered() {
        IndexOperation index = operation(Phase.INDEX, null, "{\"v\":2}", false);

        assertThat(ArchiveFold.fold(Map.of(), List.of(index), Set.of(), Map.of(index, 4L)).changed().get(KEY)
                .version()).isNull();
    }

    @Test
    void theVersionsElasticsearchAnsweredReachTheFoldWithTheAppliedOperations() {
        IndexOperation update = operation(Phase.UPDATE, null, "{\"b\":1}", false);

        ArchiveWriter.Applied applied = ArchiveWriter.applied(List.of(List.of(update)),
                List.of(new MessageOutcome(List.of(), List.of(), answered(update, 4L))));

        assertThat(applied.versions()).containsExactly(Map.entry(update, 4L));
    }

    @Test
    void anIndexTakesItsOwnRoutingAndAnUpdateKeepsTheDocumentsUnlessItNamesOne() {
        Map<DocumentKey, DocumentState> current = Map.of(KEY, new DocumentState("r1", null, json("{\"v\":1}")));

        assertThat(ArchiveFold.fold(current, List.of(operation(Phase.UPDATE, null, "{\"w\":2}", false)), Set.of())
                .changed().get(KEY).routing()).isEqualTo("r1");
        assertThat(ArchiveFold.fold(current, List.of(operation(Phase.INDEX, null, "{\"v\":2}", false)), Set.of())
                .changed().get(KEY).routing()).isNull();
    }

    @Test
    void anUpdateOfAMissingDocumentCreatesItOnlyWithUpsert() {
        assertThat(ArchiveFold.fold(Map.of(), List.of(operation(Phase.UPDATE, null, "{\"a\":1}", false)), Set.of())
                .changed()).isEmpty();
        assertThat(ArchiveFold.fold(Map.of(), List.of(operation(Phase.UPDATE, null, "{\"a\":1}", true)), Set.of())
                .changed().get(KEY).document()).isEqualTo(json("{\"a\":1}"));
    }

    @Test
    void failedOperationsAreLeftOutButTheirMessagesOtherOperationsAreNot() {
        IndexOperation prevDelete = IndexOperation.delete(Phase.PREV_DELETE, new DocumentKey("products", "0"), null,
                null);
        IndexOperation refused = operation(Phase.INDEX, null, "{\"a\":1}", false);
        IndexOperation next = operation(Phase.UPDATE, null, "{\"b\":1}", true);

        ArchiveWriter.Applied applied = ArchiveWriter.applied(List.of(List.of(prevDelete, refused), List.of(next)),
                List.of(new MessageOutcome(List.of(new Failure(refused, new ItemOutcome(
                        ItemOutcome.Status.DEAD_LETTER, "mapper_parsing_exception", "bad"))), List.of()),
                        new MessageOutcome(List.of(), List.of())));

        assertThat(applied.operations()).containsExactly(prevDelete, next);
    }

    @Test
    void staleOperationsAreLeftOutButRepeatsOfTheVersionElasticsearchHoldsAreKept() {
        IndexOperation stale = operation(Phase.INDEX, 8L, "{\"a\":1}", false);
        IndexOperation repeat = operation(Phase.INDEX, 9L, "{\"a\":2}", false);

        ArchiveWriter.Applied applied = ArchiveWriter.applied(List.of(List.of(stale), List.of(repeat)), List.of(
                new MessageOutcome(List.of(), List.of(conflict(stale, "current version [9] is higher or equal to the "
                        + "one provided [8]"))),
                new MessageOutcome(List.of(), List.of(conflict(repeat, "current version [9] is higher or equal to the "
                        + "one provided [9]")))));

        assertThat(applied.operations()).containsExactly(repeat);
        assertThat(applied.repeats()).containsExactly(repeat);
    }

    private static Failure conflict(IndexOperation operation, String reason) {
        return new Failure(operation, new ItemOutcome(ItemOutcome.Status.STALE, "version_conflict_engine_exception",
                "[1]: version conflict, " + reason));
    }

    private static Map<IndexOperation, Long> answered(Object... operationsAndVersions) {
        Map<IndexOperation, Long> versions = new IdentityHashMap<>();
        for (int i = 0; i < operationsAndVersions.length; i += 2) {
            versions.put((IndexOperation) operationsAndVersions[i], (Long) operationsAndVersions[i + 1]);
        }
        return versions;
    }

    private static Set<IndexOperation> identity(IndexOperation... operations) {
        Set<IndexOperation> set = Collections.newSetFromMap(new IdentityHashMap<>());
        set.addAll(List.of(operations));
        return set;
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
