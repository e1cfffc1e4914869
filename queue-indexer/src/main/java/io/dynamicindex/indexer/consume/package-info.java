/**
 * AMQP consumption: consumers with manual ack and a prefetch bound, the per-delivery ack bookkeeping, and
 * re-subscription after the broker closes a channel. Hands work to {@code buffer}; depends on amqp-client.
 */
package io.dynamicindex.indexer.consume;
