/**
 * Filters: per-queue, batch-oriented translation of partner messages into index operations. Built-in:
 * {@code emptyFilter}, the canonical pass-through. Depends on {@code document} only.
 */
package io.dynamicindex.indexer.filter;
