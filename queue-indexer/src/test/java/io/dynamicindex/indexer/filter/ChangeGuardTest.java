package io.dynamicindex.indexer.filter;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.dynamicindex.indexer.document.DocumentKey;
import io.dynamicindex.indexer.document.IndexOperation;
import io.dynamicindex.indexer.document.Phase;

class ChangeGuardTest {

    @Test
    void allowsIndicesByNameOrGlobAndRefusesAnyOther() {
        ChangeGuard guard = new ChangeGuard(List.of("products", "unmatched-*", "shop?"), 100);

        assertThat(guard.check(List.of(op(Phase.INDEX, "products"), op(Phase.TRIGGER_DELETE, "unmatched-de"),
                op(Phase.PREV_DELETE, "shop1")))).isNull();
        ChangeGuard.Refusal refusal = guard.check(List.of(op(Phase.INDEX, "products"),
                op(Phase.TRIGGER_DELETE, "shop12")));
        assertThat(refusal.errorType()).isEqualTo("index_not_allowed");
        assertThat(refusal.reason()).contains("index 'shop12' (triggerDelete)");
        assertThat(guard.check(List.of(op(Phase.UPDATE, "products.x")))).isNotNull();
    }

    @Test
    void allowsEveryIndexWithoutAnAllowList() {
        ChangeGuard guard = new ChangeGuard(null, 100);

        assertThat(guard.allowsEveryIndex()).isTrue();
        assertThat(guard.check(List.of(op(Phase.INDEX, "anything")))).isNull();
    }

    @Test
    void refusesMoreDeleteTargetsThanAllowedNamingTheField() {
        ChangeGuard guard = new ChangeGuard(null, 2);
        List<IndexOperation> operations = new ArrayList<>(List.of(op(Phase.PREV_DELETE, "a"),
                op(Phase.PREV_DELETE, "b"), op(Phase.INDEX, "c")));
        assertThat(guard.check(operations)).isNull();

        operations.add(op(Phase.PREV_DELETE, "d"));
        ChangeGuard.Refusal refusal = guard.check(operations);
        assertThat(refusal.errorType()).isEqualTo("too_many_delete_targets");
        assertThat(refusal.reason()).contains("'prevDelete' has 3 targets, more than the 2 allowed");
    }

    private static IndexOperation op(Phase phase, String index) {
        return IndexOperation.delete(phase, new DocumentKey(index, "1"), null, null);
    }
}
