/**
 * Moving messages between brokers: one connection per broker, a fresh channel pair per tick, pipelined publisher
 * confirms, and a multiple-ack of the source only after the target confirmed. Depends on amqp-client and
 * {@code config}.
 */
package io.dynamicindex.scheduler.move;
