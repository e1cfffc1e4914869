package io.dynamicindex.scheduler.schedule;

import io.dynamicindex.scheduler.config.Route;

/**
 * How many changes a route's tick may move: N, or the adaptive throttle's lower budget, less what earlier ticks moved
 * beyond theirs (an envelope larger than what was left moves whole), so that the rate over time is exactly the budget
 * per tick. Used by the route's tick thread only; the budget and its reason are published to {@link RouteState}.
 */
final class TickBudget {

    private final AdaptiveBudget adaptive;
    private final IndexerPressure pressure;
    private long carried;
    private long planned;

    /** @param adaptive the route's adaptive throttle, or null for a fixed N */
    TickBudget(AdaptiveBudget adaptive, IndexerPressure pressure) {
        this.adaptive = adaptive;
        this.pressure = pressure;
    }

    /** This tick's changes to move; zero or less when earlier ticks moved this tick's share already. */
    long next(Route route, RouteState state) {
        long budget = route.messagesPerTick();
        String reason = "configured N";
        if (adaptive != null) {
            AdaptiveBudget.Decision decision = adaptive.next(route.messagesPerTick(), state.depths().target(),
                    pressure.on(route.target()));
            budget = decision.budget();
            reason = decision.reason() + pressure.unavailable(route.target())
                    .map(why -> "; indexer status unavailable (" + why + "): steering by the index queue's depth alone")
                    .orElse("");
        }
        state.budget(budget, reason);
        planned = budget - carried;
        return planned;
    }

    /** What the tick moved (also when it failed part-way); the excess over its plan comes off the next tick. */
    void moved(long changes) {
        carried = Math.max(0, changes - planned);
    }
}
