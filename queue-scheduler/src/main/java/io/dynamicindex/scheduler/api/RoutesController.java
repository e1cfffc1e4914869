package io.dynamicindex.scheduler.api;

import java.time.Instant;
import java.util.List;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import io.dynamicindex.scheduler.move.RouteScheduler;
import io.dynamicindex.scheduler.move.RouteState;

/** {@code GET /api/v1/routes}: every route with its live counters, answered from memory. */
@RestController
class RoutesController {

    private final RouteScheduler scheduler;

    RoutesController(RouteScheduler scheduler) {
        this.scheduler = scheduler;
    }

    record RouteView(String name, String source, String target, String cron, int messagesPerTick, long moved,
                     long failedTicks, Instant lastTick, int lastTickCount, String lastError) {
    }

    @GetMapping("/api/v1/routes")
    List<RouteView> routes() {
        return scheduler.states().stream().map(RoutesController::view).toList();
    }

    private static RouteView view(RouteState state) {
        var route = state.route();
        return new RouteView(route.name(), route.source(), route.target(), route.cron(), route.messagesPerTick(),
                state.moved(), state.failedTicks(), state.lastTick(), state.lastTickCount(), state.lastError());
    }
}
