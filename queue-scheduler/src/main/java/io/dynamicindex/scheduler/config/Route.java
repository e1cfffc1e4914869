package io.dynamicindex.scheduler.config;

/**
 * One resolved, validated route: move up to messagesPerTick messages from source to target on each cron tick.
 *
 * @param name            unique; keys the route's runtime state and its lease. Legacy routes are named
 *                        {@code SOURCE->TARGET}.
 * @param source          the source queue on the source broker.
 * @param target          the target queue on the target broker.
 * @param cron            a six-field cron expression, seconds first.
 * @param messagesPerTick the most messages one tick moves (N), positive.
 */
public record Route(String name, String source, String target, String cron, int messagesPerTick) {

    /** This route with another cron and count, as an operator changed them at runtime. */
    public Route with(String newCron, int newMessagesPerTick) {
        return new Route(name, source, target, newCron, newMessagesPerTick);
    }
}
