package io.dynamicindex.benchmark.stage;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.dynamicindex.benchmark.environment.Daemon;
import io.dynamicindex.benchmark.environment.DaemonState;
import io.dynamicindex.benchmark.environment.Daemons.Route;
import io.dynamicindex.benchmark.measure.CpuWindow;
import io.dynamicindex.benchmark.measure.LatencySamples;
import io.dynamicindex.benchmark.report.StageResult;
import io.dynamicindex.benchmark.workload.WorkloadGenerator;
import io.dynamicindex.infra.TestNames;

/**
 * queue-scheduler alone, with two routes. Route "max" (N = 1,000,000 every second) moves the whole source queue
 * that the server stage filled into the index queue: its rate is the maximum move rate, read from the target
 * queue's depth every 100 ms. Route "paced" then gets a backlog of its own, and its ticks show rate accuracy
 * (configured N against messages moved per tick) and how long a tick takes to move N.
 */
public final class SchedulerStage {

    private static final String MAX = "max";
    private static final String PACED = "paced";
    private static final int LARGE_N = 1_000_000;

    private final StageContext context;
    private final WorkloadGenerator generator;

    public SchedulerStage(StageContext context, WorkloadGenerator generator) {
        this.context = context;
        this.generator = generator;
    }

    /** Moves everything in source to target and returns the stage's result. */
    public StageResult run(String source, String target) throws Exception {
        long total = context.topUp(source, context.plan().chainMessages(), generator);
        String pacedSource = TestNames.unique("bench_paced_src");
        String pacedTarget = TestNames.unique("bench_paced_idx");
        context.broker().declare(pacedSource);
        context.broker().declare(pacedTarget);
        int perTick = context.plan().schedulerPerTick();
        List<Route> routes = List.of(new Route(MAX, source, target, "* * * * * *", LARGE_N),
                new Route(PACED, pacedSource, pacedTarget, "*/1 * * * * *", perTick));
        try (Daemon scheduler = context.daemons().scheduler(routes)) {
            MoveRate move = measureMove(scheduler, source, total);
            move.details().put("movedChanges", movedChanges(scheduler));
            Map<String, Object> accuracy = measureAccuracy(scheduler, pacedSource, pacedTarget, perTick);
            LatencySamples tickDurations = (LatencySamples) accuracy.remove("tickDurations");
            Map<String, Object> details = new LinkedHashMap<>(move.details());
            details.put("rateAccuracy", accuracy);
            context.progress().done("max move " + Math.round(move.rate()) + " msgs/s; paced route moved "
                    + accuracy.get("measuredPerTickMean") + " per tick for N = " + perTick);
            return new StageResult("queue-scheduler", "route max: N " + LARGE_N + " every second over a backlog of "
                    + total + "; route paced: N " + perTick + " every second", move.rate(),
                    context.rabbitCeiling().name(), context.rabbitCeiling().rate(),
                    tickDurations.percentileMillis(50), tickDurations.percentileMillis(99),
                    "one tick of the paced route: cron second until its last message is in the target queue",
                    Map.of(scheduler.name(), move.microsPerMessage()), Map.of(scheduler.name(),
                    scheduler.peakRssMib()), details);
        } finally {
            context.broker().delete(pacedSource);
            context.broker().delete(pacedTarget);
        }
    }

    private record MoveRate(double rate, double microsPerMessage, Map<String, Object> details) {
    }

    /**
     * The move rate in source messages, read off the source queue's depth every 100 ms (the index queue holds packs,
     * so its depth does not count source messages); the last window in flight is left out, about 1 % of the backlog.
     */
    private MoveRate measureMove(Daemon scheduler, String source, long total) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(Math.max(120, total / 1000)).toNanos();
        long startTaken = -1;
        long startNanos = 0;
        CpuWindow cpu = null;
        long taken = 0;
        while (taken < total && System.nanoTime() < deadline) {
            Thread.sleep(100);
            taken = total - context.broker().depth(source);
            if (cpu == null && taken >= total / 20) {
                cpu = context.cpuWindow(scheduler);
                startTaken = taken;
                startNanos = System.nanoTime();
            }
            context.progress().update("moved " + taken + " of " + total);
        }
        if (cpu == null || taken < total) {
            throw new IllegalStateException("the scheduler moved " + taken + " of " + total + " in time");
        }
        CpuWindow.Usage usage = cpu.close();
        long moved = taken - startTaken;
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("backlog", total);
        details.put("measuredMessages", moved);
        details.put("machineUtilisation", usage.machineUtilisation());
        details.put("cpuSeconds", usage.cpuSeconds());
        return new MoveRate(moved / seconds, usage.microsPerMessage(scheduler.name(), moved), details);
    }

    /** The changes the max route moved, once its last tick has ended: what the index queue now holds. */
    private static long movedChanges(Daemon scheduler) throws InterruptedException {
        long moved = DaemonState.route(scheduler, MAX).moved();
        for (int stable = 0; stable < 3; ) {
            Thread.sleep(500);
            long now = DaemonState.route(scheduler, MAX).moved();
            stable = now == moved ? stable + 1 : 0;
            moved = now;
        }
        return moved;
    }

    private Map<String, Object> measureAccuracy(Daemon scheduler, String pacedSource, String pacedTarget,
                                                int perTick) throws Exception {
        int ticks = context.plan().schedulerTicks();
        context.progress().update("filling the paced route's source");
        context.fill(pacedSource, (long) perTick * (ticks + 4), generator);
        Instant filled = Instant.now();
        context.progress().update("observing " + ticks + " ticks of the paced route");
        TickObserver.Ticks observed = new TickObserver(scheduler, PACED, context.broker(), pacedTarget)
                .observe(filled, ticks, Duration.ofSeconds(ticks + 15L));
        List<Integer> counts = observed.counts();
        if (counts.isEmpty()) {
            throw new IllegalStateException("the paced route did not tick after its source was filled");
        }
        Map<String, Object> accuracy = new LinkedHashMap<>();
        accuracy.put("configuredPerTick", perTick);
        accuracy.put("measuredPerTickMean", counts.stream().mapToInt(Integer::intValue).average().orElseThrow());
        accuracy.put("measuredPerTickMin", counts.stream().mapToInt(Integer::intValue).min().orElseThrow());
        accuracy.put("measuredPerTickMax", counts.stream().mapToInt(Integer::intValue).max().orElseThrow());
        accuracy.put("ticks", counts.size());
        accuracy.put("perTick", counts);
        accuracy.put("tickDurations", observed.durations());
        return accuracy;
    }
}
