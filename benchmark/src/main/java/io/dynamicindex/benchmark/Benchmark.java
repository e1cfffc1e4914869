package io.dynamicindex.benchmark;

import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import io.dynamicindex.benchmark.ceiling.BulkCeiling;
import io.dynamicindex.benchmark.ceiling.RabbitCeiling;
import io.dynamicindex.benchmark.environment.BenchEnvironment;
import io.dynamicindex.benchmark.environment.Broker;
import io.dynamicindex.benchmark.environment.Daemons;
import io.dynamicindex.benchmark.measure.CpuWindow;
import io.dynamicindex.benchmark.measure.Progress;
import io.dynamicindex.benchmark.report.BenchmarkReport;
import io.dynamicindex.benchmark.report.Ceiling;
import io.dynamicindex.benchmark.report.EndToEndStep;
import io.dynamicindex.benchmark.report.Goals;
import io.dynamicindex.benchmark.report.MachineInfo;
import io.dynamicindex.benchmark.report.RunInfo;
import io.dynamicindex.benchmark.report.StageResult;
import io.dynamicindex.benchmark.stage.ArchiveStage;
import io.dynamicindex.benchmark.stage.EndToEndStage;
import io.dynamicindex.benchmark.stage.HotDocumentStage;
import io.dynamicindex.benchmark.stage.IndexerStage;
import io.dynamicindex.benchmark.stage.OutboxStage;
import io.dynamicindex.benchmark.stage.RebuildStage;
import io.dynamicindex.benchmark.stage.SchedulerStage;
import io.dynamicindex.benchmark.stage.ServerStage;
import io.dynamicindex.benchmark.stage.StageContext;
import io.dynamicindex.benchmark.workload.Mix;
import io.dynamicindex.benchmark.workload.WorkloadGenerator;
import io.dynamicindex.infra.TestNames;

/**
 * One benchmark run: finds or starts the services, measures the two ceilings, runs the stage chain (server, then
 * scheduler, then indexer, each alone on the same data), then the whole pipeline, and returns the report. Owns the
 * environment and the broker client and closes them.
 */
public final class Benchmark {

    private final BenchmarkOptions options;
    private final Progress progress = new Progress();

    public Benchmark(BenchmarkOptions options) {
        this.options = options;
    }

    public BenchmarkReport run() throws Exception {
        Instant started = Instant.now();
        double load = MachineInfo.loadAverage();
        Plan plan = options.plan();
        Files.createDirectories(options.work());
        progress.stage("services: RabbitMQ, PostgreSQL, an Elasticsearch node (heap " + options.elasticsearchHeap()
                + ")");
        try (BenchEnvironment environment = BenchEnvironment.start(options.root(), options.work(),
                options.engine(), options.elasticsearchHeap()); Broker broker = new Broker(environment.rabbit())) {
            progress.done("RabbitMQ " + environment.rabbit().origin() + ", Elasticsearch "
                    + environment.elasticsearch().url() + ", PostgreSQL " + environment.postgres().origin());
            String index = TestNames.unique("bench_products");
            WorkloadGenerator chain = new WorkloadGenerator(index, options.keySpace(), Mix.INDEX_ONLY, 1);
            List<Ceiling> ceilings = ceilings(environment, plan, chain);
            StageContext context = new StageContext(environment, new Daemons(environment, options.daemonSettings()), broker, plan, progress,
                    ceilings.get(0), ceilings.get(1));
            List<StageResult> stages = chain(context, chain);
            List<EndToEndStep> steps = List.of();
            if (options.runs("end-to-end")) {
                WorkloadGenerator mixed = new WorkloadGenerator(TestNames.unique("bench_e2e_products"),
                        options.keySpace(), options.mix(), 2);
                progress.stage("end to end: stepping the offered rate");
                EndToEndStage endToEnd = new EndToEndStage(context, mixed, ServerStage.BATCH, plan.maxSteps());
                stages.add(endToEnd.run(startRate(stages, ceilings)));
                progress.stage("end to end, single-change requests: stepping the offered rate");
                EndToEndStage single = new EndToEndStage(context, mixed, 1, Math.min(3, plan.maxSteps()));
                stages.add(single.run(singleStartRate(stages)));
                steps = new ArrayList<>(endToEnd.steps());
                steps.addAll(single.steps());
                environment.elasticsearch().deleteIndex(mixed.index() + "*");
            }
            if (options.runs("hot-documents")) {
                progress.stage("hot documents: Elasticsearch operations per change, coalescing on and off");
                stages.addAll(new HotDocumentStage(context, plan.chainMessages() / 2).run());
            }
            if (options.runs("archive")) {
                progress.stage("archive: indexer drain with its PostgreSQL archive off and on");
                stages.add(new ArchiveStage(context, plan.chainMessages() / 2).run());
            }
            if (options.runs("rebuild")) {
                progress.stage("rebuild: an index from the archive, by the command line");
                stages.add(new RebuildStage(context, plan.chainMessages()).run());
            }
            if (options.runs("outbox")) {
                progress.stage("outbox relay: a committed backlog of outbox rows to a source queue");
                stages.add(new OutboxStage(context, plan.chainMessages()).run());
            }
            environment.elasticsearch().deleteIndex(index + "*");
            RunInfo run = new RunInfo(started.truncatedTo(ChronoUnit.SECONDS).toString(),
                    options.shortMode() ? "short" : "full", command(), MachineInfo.describe(),
                    environment.rabbit().origin(), environment.elasticsearch().origin(),
                    environment.postgres().origin(), settings(), load, Duration.between(started, Instant.now()).toMillis() / 1e3);
            return new BenchmarkReport(run, ceilings, stages, steps, Goals.check(stages));
        }
    }

    /**
     * Both ceilings, each with the CPU its service spent per message in it, to compare with what the same service
     * spends per message of the pipeline.
     */
    private List<Ceiling> ceilings(BenchEnvironment environment, Plan plan, WorkloadGenerator generator)
            throws Exception {
        progress.stage("ceiling: RabbitMQ one hop (perf-test, " + plan.rabbitSeconds() + " s)");
        CpuWindow rabbitCpu = CpuWindow.open(environment.serviceProcesses());
        Ceiling rabbit = new RabbitCeiling(environment.rabbit(),
                options.root().resolve("benchmark/target/benchmark.classpath"),
                options.work().resolve("perf-test.log")).measure(plan.rabbitSeconds(), plan.rabbitWarmupSeconds());
        double hops = (double) rabbit.details().getOrDefault("perfTestReceivingAvg", rabbit.rate())
                * plan.rabbitSeconds();
        putCpu(rabbit, rabbitCpu.close(), "rabbitmq", hops);
        progress.done(Math.round(rabbit.rate()) + " msgs/s");
        progress.stage("ceiling: Elasticsearch direct _bulk");
        CpuWindow bulkCpu = CpuWindow.open(environment.serviceProcesses());
        Ceiling bulk = new BulkCeiling(environment.elasticsearch(), generator, progress)
                .measure(plan.bulkBatchSizes(), plan.bulkConcurrencies(), plan.bulkEach(), plan.bulkWarmup());
        putCpu(bulk, bulkCpu.close(), "elasticsearch", ((Number) bulk.details().get("documentsLoaded")).doubleValue());
        progress.done(Math.round(bulk.rate()) + " docs/s (" + bulk.details().get("best") + ")");
        return List.of(rabbit, bulk);
    }

    private static void putCpu(Ceiling ceiling, CpuWindow.Usage usage, String service, double messages) {
        Double seconds = usage.cpuSeconds().get(service);
        if (seconds != null && messages > 0) {
            ceiling.details().put(service + "CpuMicrosPerMessage", seconds * 1e6 / messages);
        }
        ceiling.details().put("machineUtilisation", usage.machineUtilisation());
    }

    /** The server fills the source queue, the scheduler moves it to the index queue, the indexer drains it. */
    private List<StageResult> chain(StageContext context, WorkloadGenerator generator) throws Exception {
        String source = TestNames.unique("bench_src");
        String target = TestNames.unique("bench_idx");
        List<StageResult> stages = new ArrayList<>();
        try {
            context.broker().declare(target);
            if (options.runs("server")) {
                progress.stage("queue-server alone: HTTP ingest");
                stages.addAll(new ServerStage(context, generator).run(source));
            } else {
                context.broker().declare(source);
            }
            long changes = 0;
            if (options.runs("scheduler")) {
                progress.stage("queue-scheduler alone: maximum move rate and rate accuracy");
                StageResult scheduler = new SchedulerStage(context, generator).run(source, target);
                stages.add(scheduler);
                changes = (long) scheduler.details().get("movedChanges");
            }
            if (options.runs("indexer")) {
                progress.stage("queue-indexer alone: drain of the index queue, then latency");
                stages.add(new IndexerStage(context, generator).run(target, changes));
            }
            return stages;
        } finally {
            context.broker().delete(source);
            context.broker().delete(target);
        }
    }

    /**
     * Six tenths of the slowest stage alone: the first end-to-end step. Without stages, six tenths of the pipeline's
     * ceiling, min(RabbitMQ one hop / 2, _bulk).
     */
    private static double startRate(List<StageResult> stages, List<Ceiling> ceilings) {
        return 0.6 * stages.stream().filter(s -> !s.stage().equals("queue-server single"))
                .mapToDouble(StageResult::throughput).min()
                .orElse(Math.min(ceilings.get(0).rate() / 2, ceilings.get(1).rate()));
    }

    /** Six tenths of the queue server's single-change rate: the HTTP round trip bounds this run. */
    private static double singleStartRate(List<StageResult> stages) {
        return 0.6 * stages.stream().filter(s -> s.stage().equals("queue-server single"))
                .mapToDouble(StageResult::throughput).findFirst().orElse(1_000);
    }

    private String settings() {
        return options.daemonSettings().isEmpty() ? "defaults" : options.daemonSettings().toString();
    }

    private String command() {
        return options.shortMode() ? "./benchmark.sh --short" : "./benchmark.sh";
    }
}
