/**
 * The relay itself: the loop ({@link io.dynamicindex.outbox.relay.OutboxRelay}), the gap bookkeeping
 * ({@link io.dynamicindex.outbox.relay.OffsetBook}), the SQL ({@link io.dynamicindex.outbox.relay.OutboxStore}), the
 * lease, the fence's times, the checks of a row before it is published ({@link io.dynamicindex.outbox.relay.RowRules})
 * and the confirmed publisher. Depends on ShedLock, spring-jdbc, Spring AMQP, Jackson's streaming parser and
 * {@code common}; nothing else of the relay.
 */
package io.dynamicindex.outbox.relay;
