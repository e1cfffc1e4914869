/** Scheduler properties, both structured and in the reference article's key format, resolved into routes. */
package io.dynamicindex.scheduler.config;
