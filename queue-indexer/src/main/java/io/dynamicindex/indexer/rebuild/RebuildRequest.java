package io.dynamicindex.indexer.rebuild;

/**
 * What to rebuild, and who asks.
 *
 * @param alias       the index name live indexing writes to (an alias, or a concrete index the first time)
 * @param settings    the create-index body of the new index as JSON text: {@code {"settings":..., "mappings":...}}
 * @param targetIndex the new index's name, or null for {@code <alias>-<UTC yyyyMMddHHmmss>}
 * @param replace     start anew even when an unfinished rebuild of the alias is recorded (its index is left)
 * @param allowLoss   the first rebuild of a concrete index may drop its documents that the archive has no row for
 * @param actor       who asks, as the audit trail names them
 */
public record RebuildRequest(String alias, String settings, String targetIndex, boolean replace, boolean allowLoss,
                             String actor) {
}
