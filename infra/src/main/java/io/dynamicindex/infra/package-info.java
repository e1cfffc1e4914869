/**
 * Real infrastructure for tests, the demo and the benchmark: RabbitMQ, PostgreSQL and Elasticsearch, each found
 * (environment, then the local service) or started (Testcontainers, then an embedded stand-in). Depends on no
 * daemon; daemons depend on it in test scope only.
 */
package io.dynamicindex.infra;
