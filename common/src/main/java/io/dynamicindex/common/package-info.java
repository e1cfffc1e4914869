/**
 * The AMQP message contract (header names) and the one retry back-off, shared by all daemons.
 * Depends on the JDK only.
 */
package io.dynamicindex.common;
