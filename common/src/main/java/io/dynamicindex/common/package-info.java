/**
 * The AMQP message contract (header names), the one retry back-off and the broker-aware queue arguments, shared by
 * all daemons. Depends on the JDK and SLF4J only.
 */
package io.dynamicindex.common;
