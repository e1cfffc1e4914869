/** Test support: the relay against a schema and a queue of a test's own, producers, and what reached the queue. */
package io.dynamicindex.outbox.support;
