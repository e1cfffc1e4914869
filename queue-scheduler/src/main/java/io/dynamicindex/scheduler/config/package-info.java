/**
 * Scheduler properties, both structured and in the reference article's key format, resolved and validated into
 * routes at startup; and the id of this instance. Depends on nothing else in the scheduler.
 */
package io.dynamicindex.scheduler.config;
