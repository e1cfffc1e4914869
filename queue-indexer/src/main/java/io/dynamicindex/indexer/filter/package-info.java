/**
 * Filters: per-queue, batch-oriented translation of partner messages into index operations. Built-in:
 * {@code emptyFilter}, the canonical pass-through, and the JDBC lookup filter defined in properties; and the
 * per-queue guard checked on every filter's output (allowed indices, delete targets). Depends on
 * {@code document}, spring-jdbc and Micrometer.
 */
package io.dynamicindex.indexer.filter;
