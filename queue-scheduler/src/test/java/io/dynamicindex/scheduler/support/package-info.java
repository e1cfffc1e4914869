/** Test helpers: queues on the real test broker, the scheduler in this JVM or as its own process, its HTTP API. */
package io.dynamicindex.scheduler.support;
