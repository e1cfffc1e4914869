/**
 * AMQP consumption: consumers with manual ack and a prefetch bound, the per-delivery ack bookkeeping, and
 * re-subscription whenever a channel closes, after the buffer has discarded what it held from it. Hands work to
 * {@code buffer} through {@link io.dynamicindex.indexer.consume.DeliverySink}; depends on amqp-client.
 */
package io.dynamicindex.indexer.consume;
