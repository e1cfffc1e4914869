/**
 * queue-indexer. {@code consume} reads index queues into {@code buffer}; a buffer worker runs the queue's
 * {@code filter} and hands operations to {@code bulk}, which talks to Elasticsearch; permanent failures go to
 * {@code deadletter}. {@code document} is the operation model every package shares; {@code config} wires it.
 */
package io.dynamicindex.indexer;
