package io.dynamicindex.indexer.bulk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ErrorPolicyTest {

    private final ErrorPolicy defaults = ErrorPolicy.of(Map.of());

    @Test
    void sortsItemFailuresByTypeThenStatusThenClass() {
        assertThat(defaults.forItem("mapper_parsing_exception", 400)).isEqualTo(ErrorAction.DEAD_LETTER);
        assertThat(defaults.forItem("cluster_block_exception", 403)).isEqualTo(ErrorAction.HALT);
        assertThat(defaults.forItem("es_rejected_execution_exception", 429)).isEqualTo(ErrorAction.RETRY);
        assertThat(defaults.forItem("version_conflict_engine_exception", 409)).isEqualTo(ErrorAction.STALE);
        assertThat(defaults.forItem(null, 429)).isEqualTo(ErrorAction.RETRY);
        assertThat(defaults.forItem("something_new", 418)).isEqualTo(ErrorAction.DEAD_LETTER);
        assertThat(defaults.forItem("something_new", 502)).isEqualTo(ErrorAction.RETRY);
    }

    @Test
    void haltsOnOperatorFaultsThatTheEngineReportsAsIllegalArguments() {
        assertThat(defaults.forItem("illegal_argument_exception", 400, "no write index is defined for alias [p]. "
                + "The write index may be explicitly disabled using is_write_index=false")).isEqualTo(ErrorAction.HALT);
        assertThat(defaults.forItem("illegal_argument_exception", 400, "pipeline with id [enrich] does not exist"))
                .isEqualTo(ErrorAction.HALT);
        assertThat(defaults.forItem("illegal_argument_exception", 400, "Limit of total fields exceeded"))
                .isEqualTo(ErrorAction.DEAD_LETTER);
        ErrorPolicy overridden = ErrorPolicy.of(Map.of("dynamic-index.indexer.error-policy",
                Map.of("pipeline_missing", ErrorAction.DEAD_LETTER)));
        assertThat(overridden.forItem("illegal_argument_exception", 400, "pipeline with id [x] does not exist"))
                .isEqualTo(ErrorAction.DEAD_LETTER);
    }

    @Test
    void backsOffOnAFloodStageBlockAndHaltsOnAWriteBlock() {
        // Elasticsearch 8: flood-stage disk watermark 429 (lifts itself), index.blocks.write 403 (an operator lifts it)
        assertThat(defaults.forItem("cluster_block_exception", 429)).isEqualTo(ErrorAction.RETRY);
        assertThat(defaults.forItem("cluster_block_exception", 403)).isEqualTo(ErrorAction.HALT);
    }

    @Test
    void retriesOpenSearchsRejectedExecutionWhateverTheStatusEntries() {
        ErrorPolicy policy = ErrorPolicy.of(Map.of("dynamic-index.indexer.error-policy",
                Map.of("item_429", ErrorAction.HALT)));

        assertThat(policy.forItem("rejected_execution_exception", 429)).isEqualTo(ErrorAction.RETRY);
        assertThat(policy.forItem("es_rejected_execution_exception", 429)).isEqualTo(ErrorAction.RETRY);
        assertThat(policy.forItem(null, 429)).isEqualTo(ErrorAction.HALT);
    }

    @Test
    void looksUpTheTypeWithItsStatusBeforeTheTypeAlone() {
        ErrorPolicy policy = ErrorPolicy.of(Map.of("dynamic-index.indexer.error-policy",
                Map.of("cluster_block_exception", ErrorAction.DROP, "mapper_parsing_exception_400", ErrorAction.HALT)));

        assertThat(policy.forItem("cluster_block_exception", 403)).isEqualTo(ErrorAction.DROP);
        assertThat(policy.forItem("cluster_block_exception", 429)).isEqualTo(ErrorAction.RETRY);
        assertThat(policy.forItem("mapper_parsing_exception", 400)).isEqualTo(ErrorAction.HALT);
        assertThat(policy.forItem("mapper_parsing_exception", 422)).isEqualTo(ErrorAction.DEAD_LETTER);
    }

    @Test
    void neverDeadLettersAWholeRequestByDefault() {
        for (int status : new int[] {400, 401, 403, 404, 405, 413}) {
            assertThat(defaults.forRequest(status)).as("request %d", status).isEqualTo(ErrorAction.HALT);
        }
        assertThat(defaults.forRequest(429)).isEqualTo(ErrorAction.RETRY);
        assertThat(defaults.forRequest(503)).isEqualTo(ErrorAction.RETRY);
        assertThat(defaults.forKey("connection_error")).isEqualTo(ErrorAction.RETRY);
        assertThat(defaults.forKey("invalid_response")).isEqualTo(ErrorAction.RETRY);
        assertThat(defaults.forKey("retries_exhausted")).isEqualTo(ErrorAction.HALT);
    }

    @Test
    void aQueueOverrideWinsOverTheSharedOne() {
        Map<String, Map<String, ErrorAction>> overrides = new LinkedHashMap<>();
        overrides.put("dynamic-index.indexer.error-policy", Map.of("document_missing_exception", ErrorAction.DROP));
        overrides.put("dynamic-index.indexer.queues.Q1.error-policy",
                Map.of("document_missing_exception", ErrorAction.HALT));

        ErrorPolicy policy = ErrorPolicy.of(overrides);

        assertThat(policy.forItem("document_missing_exception", 404)).isEqualTo(ErrorAction.HALT);
        assertThat(policy).hasToString("built-in with {document_missing_exception=HALT}");
    }

    @Test
    void refusesToDeadLetterAWholeRequestNamingTheKey() {
        assertThatThrownBy(() -> ErrorPolicy.of(Map.of("dynamic-index.indexer.queues.Q1.error-policy",
                Map.of("request_401", ErrorAction.DEAD_LETTER))))
                .hasMessageStartingWith("dynamic-index.indexer.queues.Q1.error-policy.request_401=dead_letter is "
                        + "not allowed");
    }
}
