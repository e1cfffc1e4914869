package io.dynamicindex.scheduler.schedule;

import java.util.Optional;

import io.dynamicindex.scheduler.config.SchedulerProperties.Adaptive;

/**
 * One route's adaptive tick budget: shrinks while the index queue holds more than its target (by half, or by
 * target/depth when that is less, so a queue far above its target is answered at once) or the indexer reports
 * back-pressure (by half), grows back by a tenth of N per tick once neither holds, and never exceeds N nor falls
 * below the minimum. Used by the route's tick thread; the budget and its reason are published to
 * {@link RouteState}.
 */
final class AdaptiveBudget {

    private final Adaptive settings;
    private long budget = -1;

    AdaptiveBudget(Adaptive settings) {
        this.settings = settings;
    }

    /** This tick's budget and why. */
    record Decision(long budget, String reason) {
    }

    /**
     * @param configured this tick's N (an operator may have changed it)
     * @param depth      ready messages in the index queue at the last look, or null when unknown
     * @param pressure   the indexer's back-pressure on the index queue, if any
     */
    Decision next(int configured, Long depth, Optional<String> pressure) {
        budget = budget < 0 ? configured : Math.min(budget, configured);
        if (depth != null && depth > settings.targetDepth()) {
            return lower(Math.min(0.5, (double) settings.targetDepth() / depth), "index queue holds " + depth
                    + " ready messages, above target-depth " + settings.targetDepth());
        }
        if (pressure.isPresent()) {
            return lower(0.5, pressure.get());
        }
        budget = Math.min(configured, budget + Math.max(1, configured / 10));
        return new Decision(budget, budget == configured ? "configured N" : "recovering towards N");
    }

    private Decision lower(double factor, String reason) {
        budget = Math.max(settings.minimum(), (long) (budget * factor));
        return new Decision(budget, "lowered: " + reason);
    }
}
