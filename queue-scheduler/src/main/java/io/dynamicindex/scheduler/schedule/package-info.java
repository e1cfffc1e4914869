/**
 * Running the routes: one thread per route ticking on its cron, never overlapping itself (a tick that falls due
 * while the previous one runs is skipped and counted); each tick applies the runtime overrides, takes the route's
 * lease and moves. Also the live state the API reports and the operator's runtime changes. Depends on {@code config},
 * {@code control}, {@code lease} and {@code move}.
 */
package io.dynamicindex.scheduler.schedule;
