/**
 * queue-scheduler: on each route's cron tick, moves up to N messages from its source queue to its target queue.
 * {@code config} resolves routes from structured and legacy properties; {@code move} talks to RabbitMQ;
 * {@code control} stores an operator's runtime changes in PostgreSQL; {@code lease} keeps one instance per route
 * moving; {@code schedule} runs the routes with all of these; {@code api} reports and changes route state over HTTP
 * and depends on {@code schedule}.
 */
package io.dynamicindex.scheduler;
