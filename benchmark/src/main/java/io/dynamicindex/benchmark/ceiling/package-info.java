/**
 * Ceilings measured in the same run as the stages: RabbitMQ one hop with com.rabbitmq:perf-test in a child JVM, and a
 * direct Elasticsearch _bulk load of the same documents over a grid of batch sizes and concurrencies. Depends on
 * {@code environment}, {@code measure}, {@code workload} and {@code report}.
 */
package io.dynamicindex.benchmark.ceiling;
