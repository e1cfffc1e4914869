/**
 * The measured stages: each daemon alone (queue-server HTTP ingest, queue-scheduler move rate and rate accuracy,
 * queue-indexer drain and latency), then the whole pipeline stepped up to its highest sustained rate. The stages
 * form a chain on the same data: what the server accepts, the scheduler moves, and the indexer drains. Depends on
 * {@code environment}, {@code measure}, {@code workload} and {@code report}.
 */
package io.dynamicindex.benchmark.stage;
