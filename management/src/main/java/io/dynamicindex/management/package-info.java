/**
 * The management plane shared by the three daemons: operator tokens and their roles checked by Spring Security,
 * JSON-only writes, the audit trail of every change, and startup errors that never print a configured value.
 * Depends on Spring Boot, Spring Security and, when the daemon has one, its {@code DataSource}; never on a daemon.
 */
package io.dynamicindex.management;
