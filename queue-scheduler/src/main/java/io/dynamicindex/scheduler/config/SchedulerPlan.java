package io.dynamicindex.scheduler.config;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.dynamicindex.scheduler.config.SchedulerProperties.Broker;
import io.dynamicindex.scheduler.config.SchedulerProperties.RouteDefaults;
import io.dynamicindex.scheduler.config.SchedulerProperties.RouteSettings;

/**
 * The scheduler's resolved configuration: both brokers, every route, from the structured properties and the
 * reference article's {@code delivery.*} keys together, and the limits that runtime changes of a route must keep.
 * Resolution fails with a message that names the key, the value and the rule it broke.
 */
public record SchedulerPlan(Broker source, Broker target, List<Route> routes, RouteLimits limits) {

    private static final String ROUTES = "dynamic-index.scheduler.routes.";
    private static final String DEFAULTS = "dynamic-index.scheduler.defaults.";

    public static SchedulerPlan resolve(SchedulerProperties properties, LegacyDeliveryProperties legacy) {
        return resolve(properties, legacy, Clock.systemDefaultZone());
    }

    /** As {@link #resolve(SchedulerProperties, LegacyDeliveryProperties)}, with crons checked against this clock. */
    static SchedulerPlan resolve(SchedulerProperties properties, LegacyDeliveryProperties legacy, Clock clock) {
        checkLease(properties);
        RouteLimits limits = RouteLimits.of(properties, clock);
        List<Route> routes = new ArrayList<>();
        properties.routes().forEach((name, settings) -> routes.add(structured(name, settings,
                properties.defaults(), limits)));
        routes.addAll(legacyRoutes(legacy, limits));
        rejectDuplicates(routes);
        return new SchedulerPlan(merge(properties.source(), legacy.source()), merge(properties.target(),
                legacy.target()), List.copyOf(routes), limits);
    }

    /** How long before its lease runs out a tick ends, whatever happens. */
    public static final Duration LEASE_SAFETY = Duration.ofSeconds(1);

    /**
     * A tick ends {@link #LEASE_SAFETY} before its lease does, and stops taking messages two confirm-timeouts before
     * that (one to end the consumer, one for the last confirms); it needs at least a second to take messages.
     */
    private static void checkLease(SchedulerProperties properties) {
        Duration least = properties.confirmTimeout().multipliedBy(2).plus(LEASE_SAFETY).plusSeconds(1);
        if (properties.lease().compareTo(least) < 0) {
            throw new IllegalStateException("dynamic-index.scheduler.lease=" + properties.lease()
                    + " is too short for dynamic-index.scheduler.confirm-timeout=" + properties.confirmTimeout()
                    + ": the lease must be at least twice the confirm timeout plus 2 s (here " + least + "), so "
                    + "that a tick can move and be confirmed before its lease runs out; raise lease or lower "
                    + "confirm-timeout");
        }
    }

    private static Route structured(String name, RouteSettings settings, RouteDefaults defaults,
                                    RouteLimits limits) {
        String source = required(ROUTES + name + ".source", settings.source());
        String target = required(ROUTES + name + ".target", settings.target());
        boolean fromDefaults = settings.cron() == null && defaults.cron() != null;
        String cron = validCron(fromDefaults ? DEFAULTS + "cron" : ROUTES + name + ".cron",
                fromDefaults ? defaults.cron() : settings.cron(), limits);
        boolean ownCount = settings.messagesPerTick() != null;
        Integer count = ownCount ? settings.messagesPerTick() : defaults.messagesPerTick();
        if (count == null) {
            throw new IllegalStateException(ROUTES + name + ".messages-per-tick is missing: every route needs a "
                    + "positive number of messages per tick (set it on the route or under " + DEFAULTS
                    + "messages-per-tick)");
        }
        Optional<String> fault = limits.countFault(count);
        if (fault.isPresent()) {
            throw new IllegalStateException((ownCount ? ROUTES + name + "." : DEFAULTS) + "messages-per-tick="
                    + count + " is invalid for route '" + name + "': " + fault.get());
        }
        return new Route(name, source, target, cron, count);
    }

    private static List<Route> legacyRoutes(LegacyDeliveryProperties legacy, RouteLimits limits) {
        if (legacy.isEmpty()) {
            return List.of();
        }
        Map<String, List<String>> lists = Map.of("delivery.cron", legacy.cron(), "delivery.period", legacy.period(),
                "delivery.source.queue-name", legacy.source().queueName(),
                "delivery.target.queue-name", legacy.target().queueName());
        int size = legacy.cron().size();
        if (lists.values().stream().anyMatch(list -> list.size() != size)) {
            throw new IllegalStateException("delivery.cron, delivery.period, delivery.source.queue-name and "
                    + "delivery.target.queue-name are parallel lists and must have the same length; got "
                    + legacy.cron().size() + ", " + legacy.period().size() + ", "
                    + legacy.source().queueName().size() + " and " + legacy.target().queueName().size());
        }
        List<Route> routes = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            routes.add(legacyRoute(legacy, i, limits));
        }
        return routes;
    }

    private static Route legacyRoute(LegacyDeliveryProperties legacy, int i, RouteLimits limits) {
        String source = required("delivery.source.queue-name[" + i + "]", legacy.source().queueName().get(i));
        String target = required("delivery.target.queue-name[" + i + "]", legacy.target().queueName().get(i));
        String cron = validCron("delivery.cron[" + i + "]", legacy.cron().get(i), limits);
        String period = legacy.period().get(i);
        int count;
        try {
            count = Integer.parseInt(period.trim());
        } catch (NumberFormatException e) {
            count = 0;
        }
        Optional<String> fault = limits.countFault(count);
        if (fault.isPresent()) {
            throw new IllegalStateException("delivery.period[" + i + "]='" + period + "' is invalid: " + fault.get());
        }
        return new Route(source + "->" + target, source, target, cron, count);
    }

    private static String required(String key, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(key + " is missing: every route needs a source and a target queue");
        }
        return value.trim();
    }

    private static String validCron(String key, String cron, RouteLimits limits) {
        if (cron == null || cron.isBlank()) {
            throw new IllegalStateException(key + " is missing: every route needs a cron expression with seconds "
                    + "(set it on the route or under " + DEFAULTS + "cron)");
        }
        Optional<String> fault = limits.cronFault(cron);
        if (fault.isPresent()) {
            throw new IllegalStateException(key + "='" + cron + "' " + fault.get());
        }
        return cron.trim();
    }

    /**
     * Route names key the runtime state and the lease, so they are unique; and one source queue feeds one route
     * only, since two routes on one queue would each take whichever messages come first, so neither N would hold
     * and the messages would be split between the targets at random.
     */
    private static void rejectDuplicates(List<Route> routes) {
        Set<String> names = new HashSet<>();
        Map<String, String> routeBySource = new HashMap<>();
        for (Route route : routes) {
            if (!names.add(route.name())) {
                throw new IllegalStateException("route name '" + route.name() + "' is used twice; route names "
                        + "key the runtime state and the lease, so they must be unique");
            }
            String other = routeBySource.putIfAbsent(route.source(), route.name());
            if (other != null) {
                throw new IllegalStateException("routes '" + other + "' and '" + route.name() + "' both move from "
                        + "source queue " + route.source() + "; a source queue may feed one route only, or the "
                        + "two would compete for its messages: merge them into one route or give one another "
                        + "source queue");
            }
        }
    }

    private static Broker merge(Broker structured, LegacyDeliveryProperties.Endpoint legacy) {
        return new Broker(
                legacy.host() != null ? legacy.host() : structured.host(),
                legacy.port() != null ? legacy.port() : structured.port(),
                legacy.username() != null ? legacy.username() : structured.username(),
                legacy.password() != null ? legacy.password() : structured.password(),
                structured.virtualHost(), legacy.host() != null ? List.of() : structured.addresses());
    }
}
