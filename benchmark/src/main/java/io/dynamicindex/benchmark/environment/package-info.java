/**
 * The real services of a run and the daemons under test: RabbitMQ (local service or embedded), an Elasticsearch
 * node with a larger heap, PostgreSQL, the three daemons as separate JVMs from their runnable jars, and plain AMQP
 * and HTTP access to their state. Depends on infra and {@code measure}.
 */
package io.dynamicindex.benchmark.environment;
