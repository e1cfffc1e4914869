/**
 * Runtime control that outlives a restart: the overrides (pause, N, cron) an operator set on a route, stored in
 * PostgreSQL with spring-jdbc. Depends on {@code config}.
 */
package io.dynamicindex.scheduler.control;
