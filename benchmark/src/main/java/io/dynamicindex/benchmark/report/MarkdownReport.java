package io.dynamicindex.benchmark.report;

/**
 * BENCHMARKS.md: the latest table, the machine, the command and the date, then how every figure is measured, so
 * that a reader can judge each number beside its ceiling from the same run.
 */
final class MarkdownReport {

    private static final String METHOD = """
            ## How each figure is measured

            - **Same run, same data.** Every figure above comes from one run on one machine, so each stage sits beside
              ceilings measured minutes apart under the same noise. Documents are generated canonical messages of
              about 400 bytes with ids drawn uniformly from a key space of 1,000,000 (so some messages repeat a
              document). The stage chain and the `_bulk` ceiling use index messages only; end to end uses the mix
              shown in its row (index, partial update with upsert, delete, index with a prevDelete, index with a
              triggerDelete).
            - **Ceilings.** RabbitMQ: `com.rabbitmq:perf-test` in its own JVM, 1 producer and 1 consumer, 400-byte
              persistent messages, publisher confirms, manual ack, qos 500, one queue; the mean of its per-second
              received rates after the warm-up. Elasticsearch: the same documents sent straight to `_bulk` (explicit
              ids, a fresh index per configuration, 1 shard, 0 replicas, default 1 s refresh like the indexer's
              index) over a grid of batch sizes and requests in flight; the best configuration is the ceiling. End to
              end is compared with min(RabbitMQ one hop / 2, `_bulk`), because each message makes two broker hops.
              perf-test's queue is a default-mode classic queue that its consumer keeps empty, and its messages carry no
              headers; the daemons' queues are lazy and hold a backlog, and their messages carry the contract's
              properties and two headers. The queue server alone only publishes (nothing consumes its queue then), so it
              can exceed the one-hop ceiling, which also delivers and acknowledges every message.
            - **Each stage alone** runs with only its daemon started, and the stages form a chain on the same data:
              the queue server's accepted messages stay in the source queue; the scheduler (route N = 1,000,000,
              every second) moves that whole backlog into the index queue (packing it), its rate read from the source
              queue's depth every 100 ms; the indexer (default settings) then drains that index queue, its rate read
              from its `dynamicindex.indexer.applied` counter every 500 ms (each read is an actuator request the
              indexer pays for) from 5 % of the changes applied to the last. Before measuring, the
              queue server gets warm-up load; the scheduler and indexer rates leave out the first 5 % of the backlog.
            - **Rate accuracy.** A second scheduler route with N per tick every second gets a backlog; for each tick
              after the backlog is in place, the route's own `lastTickCount` is compared with N. Its tick duration
              (cron fire until N messages are confirmed by the target and acknowledged at the source) is the
              scheduler's latency column.
            - **Latency acceptance → searchable.** About 20 probe messages a second ride in the load, each an index
              message with an id of its own (`probe-N`). A probe's clock starts when its message is accepted (HTTP
              202 for the pipeline; the broker's publisher confirm for the indexer alone). One thread asks
              Elasticsearch `_search` with an ids query for all pending probes about every 50 ms; a probe's clock
              stops half-way through the first search that finds it. Search rather than GET, so that a probe counts
              only after a refresh made it visible; the resolution is therefore about ±50 ms. The queue server's
              latency is its HTTP request time until 202.
            - **CPU and memory.** CPU is utime + stime of each process from `/proc/<pid>/stat` (clock ticks, 100/s),
              read before and after the measured window, divided by the messages that process handled in it (server:
              accepted; scheduler: moved; indexer, Elasticsearch, RabbitMQ, harness: applied). End to end, the window
              runs until the pipeline caught up, so every message's work is counted. Peak RSS is VmHWM from
              `/proc/<pid>/status`. "Cores busy" is the machine's busy time from `/proc/stat` over both cores.
            - **End to end.** Server, scheduler (1 s tick, N far above the load) and indexer (defaults: 500 messages
              or 500 ms per batch) run together. The harness offers a fixed rate (batches of 100, up to 16 requests in
              flight) for each step, sampling accepted minus applied every second. A step is sustained when at least
              97 % of the offered messages were accepted and the backlog's slope over the step's second half is under
              3 % of the offered rate. The rate goes up by a fifth after a sustained step, down by 30 % while none is
              sustained, then halves the gap between the best sustained and the lowest failed rate. A warm-up at half
              the first rate comes first and is left out, since the daemons' JVMs are fresh. A second, shorter run
              (at most three steps, starting at six tenths of the queue server's single-change rate) sends one change
              per request ("end to end single").
            - **Hot documents.** The indexer alone drains the same 100,000 changes (end-to-end mix, envelopes of 100)
              twice, with `dynamic-index.indexer.coalesce` on and off, each into a fresh index; Elasticsearch's own
              `_stats/indexing` (index_total + delete_total, primaries) divided by the changes gives its operations
              per change. Two workloads: 10 % of the changes on 1 % of 100,000 ids, and half of them on 100 ids.
            - **Archive.** The indexer alone drains 100,000 changes (end-to-end mix over 100,000 ids, envelopes of
              100) four times, each into a fresh index, with its queue's PostgreSQL archive off, on, on, off; each
              side is the mean of its two drains, so a drift over the stage weighs on both alike. PostgreSQL's CPU
              is the postmaster's and that of all its processes over the window (pooled backends, the WAL writer,
              the checkpointer, and the backend of a connection that opened and closed within it, counted by the
              postmaster's reaped-children time), per change applied.
            - **Rebuild.** An archive of 200,000 documents of about 300 bytes (written straight into
              `archive_document`) is rebuilt by the rebuild's command line, run from the indexer's jar as an
              operator runs it; the rate is the command's own documents per second from its mark to its switch
              (one `_bulk` of 1,000 in flight), beside the `_bulk` ceiling, whose best configuration may keep
              several requests in flight.
            - **Outbox relay.** One transaction commits 200,000 outbox rows (canonical index changes of about 300
              bytes); a relay started before the commit publishes them with confirms (batches of 500) to a lazy
              classic queue; the rate runs from the first row in the queue to the last (its depth read every
              200 ms), beside the one-hop ceiling.
            - **Noise.** The load generator, RabbitMQ, Elasticsearch and the daemons share the same two cores, and
              runs differ by about ±20 %; the load average at the start, and "others" in the steps table, show other
              work on the machine. The daemons run from copies of their runnable jars taken when the run starts.
            """;

    private MarkdownReport() {
    }

    static String render(BenchmarkReport report, String rateAccuracy) {
        RunInfo run = report.run();
        StringBuilder md = new StringBuilder();
        md.append("# Benchmarks\n\n");
        md.append("Generated by the benchmark harness (`benchmark/`); every figure of the run is also in its JSON file.")
                .append(" Rerun with:\n\n```bash\n").append(run.command()).append("\n```\n\n");
        md.append("- **Date:** ").append(run.date()).append(" (").append(run.mode()).append(" run, ")
                .append(String.format("%.0f", run.wallSeconds())).append(" s)\n");
        md.append("- **Machine:** ").append(run.machine()).append("; load average at start ")
                .append(String.format("%.2f", run.loadAverageBefore())).append('\n');
        md.append("- **RabbitMQ:** ").append(run.rabbitmq()).append("; **Elasticsearch:** ")
                .append(run.elasticsearch()).append("; **PostgreSQL:** ").append(run.postgres()).append('\n');
        md.append("- **Daemon settings:** ").append(run.daemonSettings()).append("\n\n");
        md.append("## Latest results\n\n").append(Tables.main(report).markdown()).append('\n');
        md.append(rateAccuracy).append("\n\n");
        md.append("### End-to-end steps\n\n").append(Tables.steps(report).markdown()).append('\n');
        md.append("### Goals on this 2-core machine\n\n").append(Tables.goals(report).markdown()).append('\n');
        md.append("### Reading\n\n");
        Reading.of(report).forEach(line -> md.append("- ").append(line).append('\n'));
        md.append('\n');
        md.append(METHOD);
        return md.toString();
    }
}
