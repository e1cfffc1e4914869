/**
 * The relay's properties ({@code dynamic-index.outbox}), its instance id, and the beans built from them: bounded JDBC
 * and channel calls, the lease's lock provider, the queue declarer and the relay loop. Depends on {@code relay}.
 */
package io.dynamicindex.outbox.config;
