/**
 * What the relay shows on its management plane: {@code GET /api/v1/status} (viewer role) and the {@code outboxRelay}
 * health component. Depends on {@code relay}.
 */
package io.dynamicindex.outbox.api;
