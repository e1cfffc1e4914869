/** The queue server's properties, their cross-field rules, and the beans built from them. */
package io.dynamicindex.server.config;
