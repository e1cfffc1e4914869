/**
 * High availability: one lease per route, a ShedLock JDBC lock in PostgreSQL, so that of several instances with
 * the same routes only one moves a route at any moment. Depends on ShedLock, spring-jdbc and {@code config}.
 */
package io.dynamicindex.scheduler.lease;
