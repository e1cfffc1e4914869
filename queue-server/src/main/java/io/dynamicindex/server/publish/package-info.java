/**
 * Publishing to RabbitMQ with publisher confirms and mandatory routing. Knows nothing of HTTP; depends on Spring
 * AMQP and {@code config} only.
 */
package io.dynamicindex.server.publish;
