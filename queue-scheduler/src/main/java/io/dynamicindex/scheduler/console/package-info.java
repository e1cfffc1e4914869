/**
 * The ops console: its page (static files under {@code /console/}), the queue figures it shows (RabbitMQ's management
 * HTTP API when configured, AMQP passive declares otherwise) and the gateway through which it reaches the indexers'
 * management APIs with the operator's own token. Depends on {@code config} and {@code schedule}; nothing depends on
 * it.
 */
package io.dynamicindex.scheduler.console;
