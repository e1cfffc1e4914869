package io.dynamicindex.indexer.api;

import java.util.List;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import io.dynamicindex.indexer.deadletter.DeadLetterStore;
import io.dynamicindex.indexer.deadletter.DeadLetterStore.DeadLetterCount;
import io.dynamicindex.indexer.health.EngineStatus;
import io.dynamicindex.indexer.health.QueueStatus;
import io.dynamicindex.indexer.health.QueueStatuses;

/**
 * {@code GET /api/v1/status}: each queue's pipeline state with its counters since start (the console turns them into
 * rates), its bulk latency and its end-to-end lag, the dead letters not yet replayed by queue and error type, and the
 * search engine's distribution and version as last read.
 */
@RestController
class StatusController {

    private final QueueStatuses statuses;
    private final MeterRegistry meters;
    private final DeadLetterStore deadLetters;
    private final EngineStatus engine;

    StatusController(QueueStatuses statuses, MeterRegistry meters, DeadLetterStore deadLetters, EngineStatus engine) {
        this.statuses = statuses;
        this.meters = meters;
        this.deadLetters = deadLetters;
        this.engine = engine;
    }

    /** The indexer as the console shows it. */
    record Status(List<QueueView> queues, List<DeadLetterCount> deadLetters, EngineStatus.View engine) {
    }

    /**
     * One queue.
     *
     * @param bulkMeanMillis mean duration of a bulk request, all phases, since start.
     * @param lagP99Millis   99th percentile of acceptance to applied over the last minutes (whole seconds in).
     */
    record QueueView(String queue, String state, String reason, String since, double consumed, double applied,
                     double acknowledged, double deadLettered, double retries, double bulkMeanMillis,
                     double bulkMaxMillis, double lagP99Millis, double lagMaxMillis) {
    }

    @GetMapping("/api/v1/status")
    Status status() {
        return new Status(statuses.all().stream().map(this::view).toList(), deadLetters.unreplayedCounts(),
                engine.view());
    }

    private QueueView view(QueueStatus status) {
        String queue = status.queue();
        QueueStatus.Condition condition = status.worst();
        List<Timer> bulks = List.copyOf(meters.find("dynamicindex.indexer.bulk").tag("queue", queue).timers());
        Timer lag = meters.find("dynamicindex.indexer.lag").tag("queue", queue).timer();
        return new QueueView(queue, condition.state().name(), condition.reason(), String.valueOf(condition.since()),
                count("dynamicindex.indexer.consumed", queue), count("dynamicindex.indexer.applied", queue),
                count("dynamicindex.indexer.acknowledged", queue), count("dynamicindex.indexer.dead_lettered", queue),
                count("dynamicindex.indexer.bulk.retries", queue), meanMillis(bulks), maxMillis(bulks),
                lag == null ? 0 : p99Millis(lag), lag == null ? 0 : lag.max(TimeUnit.MILLISECONDS));
    }

    private double count(String name, String queue) {
        return meters.find(name).tag("queue", queue).counters().stream().mapToDouble(Counter::count).sum();
    }

    private static double meanMillis(List<Timer> timers) {
        long count = timers.stream().mapToLong(Timer::count).sum();
        double total = timers.stream().mapToDouble(timer -> timer.totalTime(TimeUnit.MILLISECONDS)).sum();
        return count == 0 ? 0 : total / count;
    }

    private static double maxMillis(List<Timer> timers) {
        return timers.stream().mapToDouble(timer -> timer.max(TimeUnit.MILLISECONDS)).max().orElse(0);
    }

    private static double p99Millis(Timer timer) {
        for (ValueAtPercentile value : timer.takeSnapshot().percentileValues()) {
            if (value.percentile() == 0.99) {
                return value.value(TimeUnit.MILLISECONDS);
            }
        }
        return 0;
    }
}
