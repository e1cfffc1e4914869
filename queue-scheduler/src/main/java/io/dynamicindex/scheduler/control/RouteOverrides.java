package io.dynamicindex.scheduler.control;

import io.dynamicindex.scheduler.config.Route;

/**
 * What an operator changed on a route at runtime, over its properties. A null field means "as configured".
 *
 * @param paused          whether the route moves nothing until resumed.
 * @param messagesPerTick N instead of the configured one, or null.
 * @param cron            the cron expression instead of the configured one, or null.
 */
public record RouteOverrides(boolean paused, Integer messagesPerTick, String cron) {

    /** No runtime change: the route runs as configured. */
    public static final RouteOverrides NONE = new RouteOverrides(false, null, null);

    /** The configured route with these overrides applied. */
    public Route applyTo(Route configured) {
        return configured.with(cron != null ? cron : configured.cron(),
                messagesPerTick != null ? messagesPerTick : configured.messagesPerTick());
    }
}
