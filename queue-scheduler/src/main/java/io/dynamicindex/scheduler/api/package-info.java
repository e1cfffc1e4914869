/** The scheduler's HTTP API: route state answered from memory. Depends on {@code move}. */
package io.dynamicindex.scheduler.api;
