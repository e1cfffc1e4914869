/**
 * The benchmark harness's entry point and run plan: {@link io.dynamicindex.benchmark.BenchmarkMain} parses the
 * options, {@link io.dynamicindex.benchmark.Benchmark} runs the ceilings and stages in order and builds the report.
 * Depends on every other package of the harness.
 */
package io.dynamicindex.benchmark;
