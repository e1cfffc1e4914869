/**
 * The bounded buffer and its workers: each worker owns one partition of documents, takes a batch by size, bytes or
 * interval, runs the queue's filter, applies the batch's operations in phases, and settles every delivery. Workers
 * supervise themselves: an unexpected failure gives the batch back to the broker and the thread goes on.
 * Depends on {@code consume}, {@code filter}, {@code bulk}, {@code deadletter} and {@code health}.
 */
package io.dynamicindex.indexer.buffer;
