/**
 * Moving messages between brokers: one shared connection per broker, a fresh channel pair per tick, a prefetch
 * window on the source, pipelined publisher confirms on the target, and multiple-acks of the source as the target
 * confirms, never before. Depends on amqp-client and {@code config}.
 */
package io.dynamicindex.scheduler.move;
