package io.dynamicindex.indexer.rebuild;

/**
 * What to rebuild.
 *
 * @param alias       the index name live indexing writes to (an alias, or a concrete index the first time)
 * @param settings    the create-index body of the new index as JSON text: {@code {"settings":..., "mappings":...}}
 * @param targetIndex the new index's name, or null for {@code <alias>-<UTC yyyyMMddHHmmss>}
 * @param replace     start anew even when an unfinished rebuild of the alias is recorded (its index is left)
 */
public record RebuildRequest(String alias, String settings, String targetIndex, boolean replace) {
}
