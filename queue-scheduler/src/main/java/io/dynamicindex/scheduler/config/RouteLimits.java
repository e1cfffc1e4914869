package io.dynamicindex.scheduler.config;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.Optional;

import org.springframework.scheduling.support.CronExpression;

/**
 * The bounds of every route's N and cron, whether they come from the properties (checked at startup) or from an
 * operator's change at runtime (checked before it is stored): N from 1 to {@code max-messages-per-tick}, and a valid
 * cron that fires within {@code cron-horizon} from now. Each check says why a value is refused, so that the caller
 * can put the name of the value (a property key or an API field) in front.
 *
 * @param maxMessagesPerTick the largest N a route may have.
 * @param cronHorizon        how soon a route's cron must fire next.
 * @param clock              where "now" comes from; the system clock but in tests.
 */
public record RouteLimits(int maxMessagesPerTick, Duration cronHorizon, Clock clock) {

    static final String MAX_KEY = "dynamic-index.scheduler.max-messages-per-tick";
    static final String HORIZON_KEY = "dynamic-index.scheduler.cron-horizon";

    static RouteLimits of(SchedulerProperties properties, Clock clock) {
        if (properties.cronHorizon().isNegative() || properties.cronHorizon().isZero()) {
            throw new IllegalStateException(HORIZON_KEY + "=" + properties.cronHorizon() + " is invalid: it must be "
                    + "positive, such as 7d, or no cron could ever fire within it");
        }
        return new RouteLimits(properties.maxMessagesPerTick(), properties.cronHorizon(), clock);
    }

    /** Why N is refused (not positive, or above the limit), or empty when it is allowed. */
    public Optional<String> countFault(int messagesPerTick) {
        if (messagesPerTick <= 0) {
            return Optional.of("it must be a positive number of messages per tick");
        }
        if (messagesPerTick > maxMessagesPerTick) {
            return Optional.of("it is above the limit " + MAX_KEY + "=" + maxMessagesPerTick + ", the most "
                    + "messages one tick may move; give a smaller N or raise " + MAX_KEY);
        }
        return Optional.empty();
    }

    /**
     * Why a cron expression is refused (invalid, never fires, or not within the horizon), or empty when it is
     * allowed. The next fire time is reckoned on the local wall clock, so that a daylight-saving change does not
     * push a weekly cron past a seven-day horizon.
     */
    public Optional<String> cronFault(String cron) {
        CronExpression expression;
        try {
            expression = CronExpression.parse(cron.trim());
        } catch (IllegalArgumentException e) {
            return Optional.of("is not a valid cron expression (six fields, seconds first, e.g. '*/5 * * * * *'): "
                    + e.getMessage());
        }
        LocalDateTime now = LocalDateTime.now(clock);
        LocalDateTime next = expression.next(now);
        if (next == null) {
            return Optional.of("never fires (no such date, e.g. 30 February): the route would never move; give a "
                    + "cron that names a real time");
        }
        if (next.isAfter(now.plus(cronHorizon))) {
            return Optional.of("does not fire within " + HORIZON_KEY + "=" + cronHorizon + " from now (next at "
                    + next + "): the route's messages would wait that long; give a cron that fires sooner or raise "
                    + HORIZON_KEY);
        }
        return Optional.empty();
    }
}
