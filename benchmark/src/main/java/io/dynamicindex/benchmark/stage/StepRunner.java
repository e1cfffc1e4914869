package io.dynamicindex.benchmark.stage;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.dynamicindex.benchmark.environment.Daemon;
import io.dynamicindex.benchmark.environment.DaemonState;
import io.dynamicindex.benchmark.environment.PartnerApi;
import io.dynamicindex.benchmark.measure.CpuWindow;
import io.dynamicindex.benchmark.measure.LoadDriver;
import io.dynamicindex.benchmark.measure.ProbeTracker;
import io.dynamicindex.benchmark.report.EndToEndStep;
import io.dynamicindex.benchmark.workload.WorkloadGenerator;

/**
 * One end-to-end step: HTTP load at a fixed offered rate (requests of 100 changes, or of one, from up to 16 concurrent
 * clients) for the
 * step's duration, with about 20 probes a second. Every second it samples the backlog (accepted minus applied);
 * after the load it waits for the pipeline to catch up, so that the CPU of every message of the step is counted.
 */
final class StepRunner {

    /** The three daemons of the pipeline. */
    record Pipeline(Daemon server, Daemon scheduler, Daemon indexer, String route, PartnerApi api) {
    }

    private static final int CLIENTS = 16;
    private static final double SUSTAINED_ACCEPTED = 0.97;
    private static final double SUSTAINED_SLOPE = 0.03;

    private final StageContext context;
    private final WorkloadGenerator generator;
    private final Pipeline pipeline;
    private final int requestSize;

    StepRunner(StageContext context, WorkloadGenerator generator, Pipeline pipeline, int requestSize) {
        this.context = context;
        this.generator = generator;
        this.pipeline = pipeline;
        this.requestSize = requestSize;
    }

    EndToEndStep run(double rate, Duration duration) throws InterruptedException {
        long appliedBase = DaemonState.applied(pipeline.indexer());
        long movedBase = DaemonState.route(pipeline.scheduler(), pipeline.route()).moved();
        CpuWindow all = context.cpuWindow(pipeline.server(), pipeline.scheduler(), pipeline.indexer());
        CpuWindow load = context.cpuWindow(pipeline.server(), pipeline.scheduler(), pipeline.indexer());
        try (ProbeTracker probes = new ProbeTracker(context.environment().elasticsearch(), generator.index())) {
            long probeEvery = Math.max(1, Math.round(rate / requestSize / 20));
            LoadDriver driver = LoadDriver.fixedRate(rate, requestSize, CLIENTS, duration,
                    ticket -> generator.batch(requestSize, ticket % probeEvery == 0), pipeline::api, probes);
            List<double[]> backlog = sampleBacklog(driver, appliedBase, rate);
            LoadDriver.Outcome outcome = driver.await();
            CpuWindow.Usage loaded = load.close();
            long appliedAtEnd = DaemonState.applied(pipeline.indexer()) - appliedBase;
            awaitDrain(outcome.accepted(), appliedBase);
            probes.awaitAll(Duration.ofSeconds(10));
            CpuWindow.Usage usage = all.close();
            long applied = DaemonState.applied(pipeline.indexer()) - appliedBase;
            long moved = DaemonState.route(pipeline.scheduler(), pipeline.route()).moved() - movedBase;
            double slope = slope(backlog, duration.toNanos() / 2e9);
            boolean sustained = outcome.accepted() >= SUSTAINED_ACCEPTED * rate * outcome.seconds()
                    && slope < SUSTAINED_SLOPE * rate;
            return new EndToEndStep(requestSize, rate, outcome.acceptedPerSecond(), appliedAtEnd / outcome.seconds(), slope,
                    outcome.accepted() - appliedAtEnd, sustained, probes.latencies().percentileMillis(50),
                    probes.latencies().percentileMillis(99), probes.latencies().count(),
                    microsPerMessage(usage, outcome.accepted(), moved, applied), loaded.machineUtilisation(),
                    loaded.unwatchedUtilisation());
        }
    }

    /** Samples (seconds since start, backlog) once a second while the load runs. */
    private List<double[]> sampleBacklog(LoadDriver driver, long appliedBase, double rate)
            throws InterruptedException {
        List<double[]> samples = new ArrayList<>();
        long started = System.nanoTime();
        while (driver.running()) {
            Thread.sleep(1_000);
            long applied = DaemonState.applied(pipeline.indexer()) - appliedBase;
            long accepted = driver.accepted();
            double seconds = (System.nanoTime() - started) / 1e9;
            samples.add(new double[] {seconds, accepted - applied});
            context.progress().update(String.format("offered %,.0f/s for %.0f s: accepted %,.0f/s, applied %,.0f/s,"
                    + " backlog %,d", rate, seconds, accepted / seconds, applied / seconds, accepted - applied));
        }
        return samples;
    }

    private void awaitDrain(long accepted, long appliedBase) throws InterruptedException {
        long deadline = System.nanoTime() + context.plan().drainTimeout().toNanos();
        long applied = 0;
        while (System.nanoTime() < deadline && (applied = DaemonState.applied(pipeline.indexer()) - appliedBase)
                < accepted) {
            context.progress().update("catching up: " + (accepted - applied) + " still to apply");
            Thread.sleep(200);
        }
    }

    /** Least-squares slope of backlog over time, from the given second on; messages per second. */
    static double slope(List<double[]> samples, double fromSecond) {
        List<double[]> tail = samples.stream().filter(s -> s[0] >= fromSecond).toList();
        if (tail.size() < 2) {
            tail = samples;
        }
        if (tail.size() < 2) {
            return 0;
        }
        double meanT = tail.stream().mapToDouble(s -> s[0]).average().orElseThrow();
        double meanB = tail.stream().mapToDouble(s -> s[1]).average().orElseThrow();
        double covariance = tail.stream().mapToDouble(s -> (s[0] - meanT) * (s[1] - meanB)).sum();
        double variance = tail.stream().mapToDouble(s -> (s[0] - meanT) * (s[0] - meanT)).sum();
        return variance == 0 ? 0 : covariance / variance;
    }

    /** Each daemon per message it handled; the services per message applied. */
    private Map<String, Double> microsPerMessage(CpuWindow.Usage usage, long accepted, long moved, long applied) {
        Map<String, Double> micros = new LinkedHashMap<>();
        usage.cpuSeconds().keySet().forEach(name -> {
            long messages = name.equals(pipeline.server().name()) ? accepted
                    : name.equals(pipeline.scheduler().name()) ? moved : applied;
            micros.put(name, usage.microsPerMessage(name, Math.max(1, messages)));
        });
        return micros;
    }
}
