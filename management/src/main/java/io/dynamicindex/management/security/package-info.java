/**
 * Spring Security on the management plane: bearer operator tokens checked by SHA-256, the viewer and operator
 * roles, JSON-only writes, and the audit of every write.
 */
package io.dynamicindex.management.security;
