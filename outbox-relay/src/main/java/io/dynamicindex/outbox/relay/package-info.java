/**
 * The relay itself: the loop ({@link io.dynamicindex.outbox.relay.OutboxRelay}), the gap bookkeeping
 * ({@link io.dynamicindex.outbox.relay.OffsetBook}), the SQL ({@link io.dynamicindex.outbox.relay.OutboxStore}), the
 * lease, the fence's times and the confirmed publisher. Depends on ShedLock, spring-jdbc, Spring AMQP and
 * {@code common}; nothing else of the relay.
 */
package io.dynamicindex.outbox.relay;
