package io.dynamicindex.benchmark.stage;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.dynamicindex.benchmark.environment.Daemon;
import io.dynamicindex.benchmark.environment.PartnerApi;
import io.dynamicindex.benchmark.measure.CpuWindow;
import io.dynamicindex.benchmark.measure.LoadDriver;
import io.dynamicindex.benchmark.report.StageResult;
import io.dynamicindex.benchmark.workload.WorkloadGenerator;

/**
 * queue-server alone: HTTP ingest into the source queue, first batched (100 messages of ~400 bytes per request from
 * 8 concurrent clients, back to back), then single-message requests (from 8 clients). Nothing consumes the source
 * queue, so what the server accepted stays there for the scheduler stage.
 */
public final class ServerStage {

    public static final int BATCH = 100;
    private static final int BATCH_CLIENTS = 8;
    private static final int SINGLE_CLIENTS = 8;

    private final StageContext context;
    private final WorkloadGenerator generator;

    public ServerStage(StageContext context, WorkloadGenerator generator) {
        this.context = context;
        this.generator = generator;
    }

    /** Runs both phases into sourceQueue and returns their results, batched first. */
    public List<StageResult> run(String sourceQueue) throws Exception {
        try (Daemon server = context.daemons().server(List.of(sourceQueue))) {
            PartnerApi api = new PartnerApi(server, sourceQueue);
            context.progress().update("warming up");
            drive(api, BATCH, BATCH_CLIENTS, context.plan().warmup());
            StageResult batched = measure(server, api, BATCH, BATCH_CLIENTS, context.plan().serverBatched());
            drive(api, 1, SINGLE_CLIENTS, context.plan().warmup());
            StageResult single = measure(server, api, 1, SINGLE_CLIENTS, context.plan().serverSingle());
            return List.of(batched, single);
        }
    }

    private StageResult measure(Daemon server, PartnerApi api, int batch, int clients, Duration duration)
            throws InterruptedException {
        CpuWindow cpu = context.cpuWindow(server);
        LoadDriver.Outcome outcome = drive(api, batch, clients, duration);
        CpuWindow.Usage usage = cpu.close();
        if (outcome.accepted() == 0) {
            throw new IllegalStateException("queue-server accepted nothing: " + outcome.lastError());
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("accepted", outcome.accepted());
        details.put("refused", outcome.failed());
        details.put("requests", outcome.requests());
        details.put("requestsPerSecond", outcome.requests() / outcome.seconds());
        details.put("machineUtilisation", usage.machineUtilisation());
        details.put("cpuSeconds", usage.cpuSeconds());
        String name = batch == 1 ? "queue-server single" : "queue-server batched";
        String setup = (batch == 1 ? "1 message" : batch + " messages") + " per request, " + clients
                + " clients back to back, " + duration.toSeconds() + " s";
        context.progress().done(name + ": " + Math.round(outcome.acceptedPerSecond()) + " msgs/s");
        return new StageResult(name, setup, outcome.acceptedPerSecond(), context.rabbitCeiling().name(),
                context.rabbitCeiling().rate(), outcome.requestLatency().percentileMillis(50),
                outcome.requestLatency().percentileMillis(99), "HTTP request until 202 (broker confirmed)",
                Map.of(server.name(), usage.microsPerMessage(server.name(), outcome.accepted())),
                Map.of(server.name(), server.peakRssMib()), details);
    }

    private LoadDriver.Outcome drive(PartnerApi api, int batch, int clients, Duration duration)
            throws InterruptedException {
        LoadDriver driver = LoadDriver.closedLoop(clients, duration, ticket -> generator.batch(batch, false),
                () -> api, null);
        return await(driver, "posting " + batch + " per request");
    }

    private LoadDriver.Outcome await(LoadDriver driver, String doing) throws InterruptedException {
        long started = System.nanoTime();
        try (var watch = context.progress().watch(() -> doing + ": " + driver.accepted() + " accepted, "
                + Math.round(driver.accepted() / Math.max((System.nanoTime() - started) / 1e9, 0.001)) + " msgs/s")) {
            return driver.await();
        }
    }
}
