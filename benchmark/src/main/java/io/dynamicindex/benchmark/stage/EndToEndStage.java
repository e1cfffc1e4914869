package io.dynamicindex.benchmark.stage;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.dynamicindex.benchmark.environment.Daemon;
import io.dynamicindex.benchmark.environment.DaemonState;
import io.dynamicindex.benchmark.environment.Daemons.Route;
import io.dynamicindex.benchmark.environment.PartnerApi;
import io.dynamicindex.benchmark.report.EndToEndStep;
import io.dynamicindex.benchmark.report.StageResult;
import io.dynamicindex.benchmark.workload.WorkloadGenerator;
import io.dynamicindex.infra.TestNames;

/**
 * The whole pipeline with default settings (1 s scheduler tick, the indexer's 500 ms buffer interval), the
 * scheduler's N set far above the load: HTTP, source queue, scheduler, index queue, indexer, Elasticsearch. It steps
 * the offered rate: up by a fifth after a sustained step, down by 30 % while none was sustained, and halfway
 * between the best sustained and the first failed rate once both are known. The result is the best sustained step.
 * A warm-up at half the first rate comes first and is left out.
 */
public final class EndToEndStage {

    private static final String ROUTE = "e2e";
    private static final int ABOVE_THE_LOAD = 1_000_000;

    private final StageContext context;
    private final WorkloadGenerator generator;
    private final int requestSize;
    private final int maxSteps;
    private final List<EndToEndStep> steps = new ArrayList<>();

    /**
     * @param requestSize changes per HTTP request: 100 for the main run ("end to end"), 1 for "end to end single"
     * @param maxSteps    steps at most after the warm-up
     */
    public EndToEndStage(StageContext context, WorkloadGenerator generator, int requestSize, int maxSteps) {
        this.context = context;
        this.generator = generator;
        this.requestSize = requestSize;
        this.maxSteps = maxSteps;
    }

    /** The stage's name in the report. */
    public String name() {
        return requestSize == 1 ? "end to end single" : "end to end";
    }

    public List<EndToEndStep> steps() {
        return List.copyOf(steps);
    }

    public StageResult run(double startRate) throws Exception {
        String source = TestNames.unique("bench_e2e_src");
        String target = TestNames.unique("bench_e2e_idx");
        context.broker().declare(target);
        List<Daemon> daemons = startDaemons(source, target);
        try {
            StepRunner runner = new StepRunner(context, generator, new StepRunner.Pipeline(daemons.get(0),
                    daemons.get(1), daemons.get(2), ROUTE, new PartnerApi(daemons.get(0), source)), requestSize);
            warmUp(runner, startRate);
            stepUp(runner, startRate);
            return result(daemons);
        } finally {
            daemons.forEach(Daemon::close);
            context.broker().delete(source);
            context.broker().delete(target);
        }
    }

    /** Server, scheduler and indexer, started at the same time to save wall time. */
    private List<Daemon> startDaemons(String source, String target) {
        var indexer = CompletableFuture.supplyAsync(() -> context.daemons().indexer(List.of(target)));
        var scheduler = CompletableFuture.supplyAsync(() -> context.daemons().scheduler(List.of(
                new Route(ROUTE, source, target, "*/1 * * * * *", ABOVE_THE_LOAD))));
        var server = CompletableFuture.supplyAsync(() -> context.daemons().server(List.of(source)));
        try {
            return List.of(server.join(), scheduler.join(), indexer.join());
        } catch (RuntimeException e) {
            List.of(server, scheduler, indexer).forEach(f -> f.thenAccept(Daemon::close));
            throw e;
        }
    }

    /** Half the first step's rate for three warm-up periods, left out: fresh JVMs compile their hot code first. */
    private void warmUp(StepRunner runner, double startRate) throws InterruptedException {
        context.progress().update("warming up the pipeline at " + Math.round(startRate / 2) + " msgs/s");
        runner.run(round(startRate / 2), context.plan().warmup().multipliedBy(3));
    }

    private void stepUp(StepRunner runner, double startRate) throws InterruptedException {
        double rate = round(startRate);
        Double failed = null;
        for (int i = 0; i < maxSteps; i++) {
            context.progress().update("step " + (i + 1) + " at " + Math.round(rate) + " msgs/s");
            EndToEndStep step = runner.run(rate, context.plan().stepDuration());
            steps.add(step);
            context.progress().done(String.format("step %d: offered %,.0f/s, applied %,.0f/s, backlog slope %+,.0f/s,"
                            + " p99 %s ms: %s", i + 1, rate, step.indexedRate(), step.backlogSlope(),
                    step.latencyP99Ms() == null ? "-" : Math.round(step.latencyP99Ms()), step.sustained() ? "sustained" : "not sustained"));
            if (!step.sustained()) {
                failed = failed == null ? rate : Math.min(failed, rate);
            }
            Double best = bestSustained();
            double next = best == null ? rate * 0.7 : failed == null ? best * 1.2 : (best + failed) / 2;
            if (best != null && failed != null && (failed - best) / best < 0.05) {
                return;
            }
            rate = round(next);
        }
    }

    private Double bestSustained() {
        return steps.stream().filter(EndToEndStep::sustained).map(EndToEndStep::offeredRate)
                .max(Double::compare).orElse(null);
    }

    private StageResult result(List<Daemon> daemons) {
        EndToEndStep best = steps.stream().filter(EndToEndStep::sustained)
                .max(Comparator.comparingDouble(EndToEndStep::offeredRate))
                .orElseGet(() -> steps.stream().max(Comparator.comparingDouble(EndToEndStep::indexedRate))
                        .orElseThrow());
        double rabbitHalf = context.rabbitCeiling().rate() / 2;
        double ceiling = Math.min(rabbitHalf, context.bulkCeiling().rate());
        Map<String, Double> cpu = new LinkedHashMap<>();
        Map<String, Double> rss = new LinkedHashMap<>();
        for (Daemon daemon : daemons) {
            cpu.put(daemon.name(), best.cpuMicrosPerMessage().get(daemon.name()));
            rss.put(daemon.name(), daemon.peakRssMib());
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("sustained", best.sustained());
        details.put("bestOfferedRate", best.offeredRate());
        details.put("cpuMicrosPerMessageAllProcesses", best.cpuMicrosPerMessage());
        details.put("machineUtilisation", best.machineUtilisation());
        details.put("mix", generator.mix().toString());
        details.put("indexerBatchingOverAllSteps", DaemonState.indexerBatching(daemons.get(2)));
        details.put("requestSize", requestSize);
        return new StageResult(name(), String.format("HTTP (%d change%s per request) -> scheduler (1 s tick) -> "
                        + "indexer (defaults) -> Elasticsearch, %d s per step, mix %s", requestSize,
                requestSize == 1 ? "" : "s", context.plan().stepDuration().toSeconds(), generator.mix()), best.indexedRate(), "min(rabbitmq-one-hop / 2, elasticsearch-bulk)", ceiling,
                best.latencyP50Ms(), best.latencyP99Ms(), "HTTP 202 to searchable (probe documents)", cpu, rss,
                details);
    }

    private static double round(double rate) {
        return Math.max(250, Math.round(rate / 250) * 250.0);
    }
}
