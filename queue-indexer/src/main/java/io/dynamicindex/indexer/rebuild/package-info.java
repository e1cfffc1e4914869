/**
 * Zero-downtime rebuild of an index from the PostgreSQL archive: a new physical index from a given mapping, a
 * keyset backfill of the archive's latest states, catch-up rounds by {@code change_seq}, and one atomic alias
 * switch under the archive's exclusive lock. Live indexing keeps writing through the alias to the old index until
 * the switch. {@link io.dynamicindex.indexer.rebuild.Rebuilder} does the work, for the management endpoint
 * ({@code /api/v1/rebuilds}) and for the command line ({@link io.dynamicindex.indexer.rebuild.RebuildCommand}) alike;
 * table {@code archive_rebuild} holds the progress. Depends on {@code bulk} (the Elasticsearch client), on
 * {@code config} (its settings, for the command line) and on common's back-off.
 */
package io.dynamicindex.indexer.rebuild;
