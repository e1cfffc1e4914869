/**
 * Measuring: CPU time and peak memory of processes from /proc, latency samples and their percentiles, probes that
 * time a message from acceptance until Elasticsearch search shows it, load drivers (closed loop for the maximum,
 * open loop for a fixed offered rate) and the progress line. Depends on {@code workload} and infra's endpoints.
 */
package io.dynamicindex.benchmark.measure;
