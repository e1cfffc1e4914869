/**
 * queue-scheduler: on each route's cron tick, moves up to N messages from its source queue to its target queue.
 * {@code config} resolves routes from structured and legacy properties; {@code move} talks to RabbitMQ;
 * {@code api} reports route state over HTTP and depends on {@code move}.
 */
package io.dynamicindex.scheduler;
