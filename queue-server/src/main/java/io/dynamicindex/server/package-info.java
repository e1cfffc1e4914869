/**
 * queue-server: accepts partner requests over HTTP and publishes each message to its durable source queue.
 * {@code api} holds the HTTP surface and may use {@code publish} and {@code config}; {@code publish} talks to
 * RabbitMQ and knows nothing of HTTP.
 */
package io.dynamicindex.server;
