package io.dynamicindex.indexer.rebuild;

import java.util.List;

/**
 * What an alias name stands for in Elasticsearch right before the switch.
 *
 * @param concreteIndex the name is an index itself (the first rebuild of an index that had no alias)
 * @param indices       the indices the alias points to (empty when the name is unused or a concrete index)
 */
record AliasState(boolean concreteIndex, List<String> indices) {

    /** An alias over these indices. */
    static AliasState aliasOf(List<String> indices) {
        return new AliasState(false, List.copyOf(indices));
    }

    /** A concrete index of that name. */
    static AliasState concrete() {
        return new AliasState(true, List.of());
    }

    /** Neither alias nor index. */
    static AliasState absent() {
        return new AliasState(false, List.of());
    }

    /** As the state row records it, in previous. */
    String describe(String alias) {
        if (concreteIndex) {
            return "index " + alias + " (removed by the switch)";
        }
        return indices.isEmpty() ? "nothing" : "alias of " + String.join(", ", indices);
    }
}
