/**
 * The optional archive of a queue: the latest state of every document it changed, in PostgreSQL, written in the same
 * unit as the batch's Elasticsearch bulks, so a change is acknowledged only when both stores have it. A shared
 * advisory lock per index-name slot (the names hashed into sixteen, so a batch holds at most sixteen locks) marks
 * each unit, so that a rebuild can wait for the units in flight. Depends on
 * {@code document} and {@code bulk} (the outcomes of the bulks) and plain JDBC.
 */
package io.dynamicindex.indexer.archive;
