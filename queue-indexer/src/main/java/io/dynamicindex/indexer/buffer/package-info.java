/**
 * The bounded buffer and its workers: each worker owns one partition of documents, takes a batch by size or by
 * interval, runs the queue's filter, applies the batch's operations in phases, and settles every delivery.
 * Depends on {@code consume}, {@code filter}, {@code bulk} and {@code deadletter}.
 */
package io.dynamicindex.indexer.buffer;
