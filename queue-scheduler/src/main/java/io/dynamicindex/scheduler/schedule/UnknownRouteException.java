package io.dynamicindex.scheduler.schedule;

/** An operator named a route that is not configured. */
public final class UnknownRouteException extends RuntimeException {

    UnknownRouteException(String name) {
        super("no route named '" + name + "'");
    }
}
