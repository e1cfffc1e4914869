/**
 * The results of a run and their three forms: the console table, the JSON file with every figure, and
 * BENCHMARKS.md. Records only, plus the writers; depends on nothing else of the harness.
 */
package io.dynamicindex.benchmark.report;
