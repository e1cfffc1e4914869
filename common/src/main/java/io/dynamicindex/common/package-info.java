/**
 * The AMQP message contract (header names), the one retry back-off, the broker-aware queue arguments and the index
 * allow-list matcher, shared by all daemons. Depends on the JDK and SLF4J only.
 */
package io.dynamicindex.common;
