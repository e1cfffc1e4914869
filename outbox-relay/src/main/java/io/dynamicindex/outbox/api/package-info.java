/**
 * What the relay shows on its management plane: {@code GET /api/v1/status} (viewer role), the rejected rows
 * ({@code /api/v1/rejected}: reads viewer, re-queues operator) and the {@code outboxRelay} health component.
 * Depends on {@code relay}.
 */
package io.dynamicindex.outbox.api;
