/**
 * The scheduler's management HTTP API: route state answered from memory, and runtime control (pause, resume,
 * change N or cron, reset). Depends on {@code schedule}.
 */
package io.dynamicindex.scheduler.api;
