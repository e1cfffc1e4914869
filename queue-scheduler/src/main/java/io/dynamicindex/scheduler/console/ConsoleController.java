package io.dynamicindex.scheduler.console;

import java.util.List;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import io.dynamicindex.scheduler.config.Route;
import io.dynamicindex.scheduler.schedule.RouteScheduler;
import io.dynamicindex.scheduler.schedule.RouteState;

/** {@code GET /api/v1/queues}: every route's source and target queue as the broker reports them now. */
@RestController
class ConsoleController {

    private final RouteScheduler scheduler;
    private final QueueInspector inspector;

    ConsoleController(RouteScheduler scheduler, QueueInspector inspector) {
        this.scheduler = scheduler;
        this.inspector = inspector;
    }

    @GetMapping("/api/v1/queues")
    List<QueueFigures> queues() {
        List<Route> routes = scheduler.states().stream().map(RouteState::current).toList();
        return inspector.figures(routes);
    }
}
