/**
 * The dead-letter store in PostgreSQL (faults of the data itself, with their original bytes, queue and reason) and
 * the replayer that publishes them back, confirmed and at most once per replay. Depends on Spring JDBC and Spring
 * AMQP only.
 */
package io.dynamicindex.indexer.deadletter;
