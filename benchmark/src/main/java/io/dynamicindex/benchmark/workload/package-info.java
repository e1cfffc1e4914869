/**
 * The generated partner traffic: canonical messages of about 400 bytes over a key space, in a configurable mix of
 * index, update, delete, prevDelete and triggerDelete, with probe documents for latency. Depends on nothing else of
 * the harness.
 */
package io.dynamicindex.benchmark.workload;
