package io.dynamicindex.indexer.filter;

import java.util.List;

import io.dynamicindex.indexer.document.IndexOperation;

/** What a filter made of one message: operations to apply in order, or the reason it is rejected. */
public sealed interface FilterResult {

    /** The message becomes these operations, applied as prev-deletes, then the action, then trigger-deletes. */
    record Accepted(List<IndexOperation> operations) implements FilterResult {
    }

    /** The message cannot be applied; it goes to the dead-letter store with this reason. */
    record Rejected(String reason) implements FilterResult {
    }

    static FilterResult rejected(String reason) {
        return new Rejected(reason);
    }
}
