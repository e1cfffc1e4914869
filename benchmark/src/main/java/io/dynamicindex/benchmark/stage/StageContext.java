package io.dynamicindex.benchmark.stage;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.dynamicindex.benchmark.Plan;
import io.dynamicindex.benchmark.environment.BenchEnvironment;
import io.dynamicindex.benchmark.environment.Broker;
import io.dynamicindex.benchmark.environment.Daemon;
import io.dynamicindex.benchmark.environment.Daemons;
import io.dynamicindex.benchmark.measure.CpuWindow;
import io.dynamicindex.benchmark.measure.ProcessRef;
import io.dynamicindex.benchmark.measure.Progress;
import io.dynamicindex.benchmark.report.Ceiling;
import io.dynamicindex.benchmark.workload.WorkloadGenerator;

/** What every stage uses: the services, the daemon launcher, the broker client, the plan, progress and ceilings. */
public record StageContext(BenchEnvironment environment, Daemons daemons, Broker broker, Plan plan,
                           Progress progress, Ceiling rabbitCeiling, Ceiling bulkCeiling) {

    /** A CPU window over the given daemons plus Elasticsearch, RabbitMQ and the harness. */
    public CpuWindow cpuWindow(Daemon... daemons) {
        List<ProcessRef> processes = new ArrayList<>();
        for (Daemon daemon : daemons) {
            processes.add(daemon.ref());
        }
        processes.addAll(environment.serviceProcesses());
        return CpuWindow.open(processes);
    }

    /** Publishes index messages until the queue holds at least wanted; returns what it holds. */
    public long topUp(String queue, long wanted, WorkloadGenerator generator) throws Exception {
        long missing = wanted - broker.depth(queue);
        if (missing > 0) {
            progress.update("topping up " + queue + " with " + missing + " messages over AMQP");
            fill(queue, missing, generator);
        }
        return broker.depth(queue);
    }

    /** Publishes count changes of the generator to the queue as JSON arrays of size changes, with confirms. */
    public void fillEnvelopes(String queue, long count, WorkloadGenerator generator, int size) throws Exception {
        try (Broker.Publisher publisher = broker.publisher(queue)) {
            List<byte[]> envelopes = new ArrayList<>();
            for (long sent = 0; sent < count; sent += size) {
                StringBuilder envelope = new StringBuilder("[");
                for (byte[] change : generator.batch((int) Math.min(size, count - sent), false).messages()) {
                    envelope.append(envelope.length() > 1 ? "," : "").append(new String(change, StandardCharsets.UTF_8));
                }
                envelopes.add(envelope.append(']').toString().getBytes(StandardCharsets.UTF_8));
                if (envelopes.size() == 50) {
                    publisher.accept(new WorkloadGenerator.Batch(envelopes, null));
                    envelopes = new ArrayList<>();
                }
            }
            if (!envelopes.isEmpty()) {
                publisher.accept(new WorkloadGenerator.Batch(envelopes, null));
            }
        }
    }

    /** Publishes count index messages of the generator to the queue, with confirms. */
    public void fill(String queue, long count, WorkloadGenerator generator) throws Exception {
        try (Broker.Publisher publisher = broker.publisher(queue)) {
            for (long sent = 0; sent < count; sent += 500) {
                publisher.accept(generator.batch((int) Math.min(500, count - sent), false));
            }
        }
    }
}
