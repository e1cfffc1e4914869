package io.dynamicindex.scheduler.api;

import java.util.List;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import io.dynamicindex.scheduler.schedule.RouteScheduler;
import io.dynamicindex.scheduler.schedule.UnknownRouteException;

/**
 * The management API of the routes: {@code GET /api/v1/routes} and {@code GET /api/v1/routes/{name}} answer from
 * memory; pause, resume, a change of N or cron ({@code PATCH}, JSON {@code {"messagesPerTick": 500, "cron": "..."}},
 * either field optional) and a reset to the properties ({@code DELETE .../overrides}) are stored in PostgreSQL and
 * take effect on the route's next tick. A change outside the limits of the properties (N above
 * {@code max-messages-per-tick}, a cron that does not fire within {@code cron-horizon}) answers 400 and changes
 * nothing. Route names that contain {@code ->} are written URL-encoded.
 */
@RestController
@RequestMapping("/api/v1/routes")
class RoutesController {

    private final RouteScheduler scheduler;

    RoutesController(RouteScheduler scheduler) {
        this.scheduler = scheduler;
    }

    /**
     * A change of a route's N or cron; a missing field stays as it is.
     *
     * @param messagesPerTick the new N, from 1 to {@code dynamic-index.scheduler.max-messages-per-tick}.
     * @param cron            the new six-field cron expression; it must fire within
     *                        {@code dynamic-index.scheduler.cron-horizon} from now.
     */
    record RouteChange(Integer messagesPerTick, String cron) {
    }

    @GetMapping
    List<RouteView> routes() {
        return scheduler.states().stream().map(RouteView::of).toList();
    }

    @GetMapping("/{name}")
    RouteView route(@PathVariable String name) {
        return RouteView.of(scheduler.state(name));
    }

    @PostMapping("/{name}/pause")
    RouteView pause(@PathVariable String name) {
        return RouteView.of(scheduler.pause(name));
    }

    @PostMapping("/{name}/resume")
    RouteView resume(@PathVariable String name) {
        return RouteView.of(scheduler.resume(name));
    }

    @PatchMapping("/{name}")
    RouteView change(@PathVariable String name, @RequestBody RouteChange change) {
        if (change.messagesPerTick() == null && change.cron() == null) {
            throw new IllegalArgumentException("nothing to change: send messagesPerTick, cron or both");
        }
        return RouteView.of(scheduler.change(name, change.messagesPerTick(), change.cron()));
    }

    @DeleteMapping("/{name}/overrides")
    RouteView reset(@PathVariable String name) {
        return RouteView.of(scheduler.reset(name));
    }

    @ExceptionHandler(UnknownRouteException.class)
    ProblemDetail unknownRoute(UnknownRouteException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, e.getMessage());
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ProblemDetail invalidChange(IllegalArgumentException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
    }
}
