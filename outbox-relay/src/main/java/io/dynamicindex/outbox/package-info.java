/**
 * outbox-relay: publishes the rows that producers insert into the {@code outbox} table, in commit order and with
 * confirms, to the source queues, in the queue server's message form. {@code config} binds the properties and builds
 * the beans; {@code relay} holds the loop, the gap bookkeeping, the lease and the publisher; {@code api} shows the
 * relay's state (status API, health) and depends on {@code relay}.
 */
package io.dynamicindex.outbox;
