package io.dynamicindex.benchmark;

import java.time.Duration;
import java.util.List;

/**
 * How long and how hard each part of a run goes. The full plan takes about 20 minutes; the short plan a few
 * seconds per stage (about 90 s in all), only to show that the harness still produces every figure.
 *
 * @param rabbitSeconds         perf-test duration
 * @param rabbitWarmupSeconds   leading perf-test seconds left out of the ceiling
 * @param bulkBatchSizes        _bulk batch sizes tried for the Elasticsearch ceiling
 * @param bulkConcurrencies     _bulk requests in flight tried for the Elasticsearch ceiling
 * @param bulkEach              duration of each _bulk configuration
 * @param bulkWarmup            _bulk load before the first configuration, left out (Elasticsearch's JIT warm-up)
 * @param warmup                load before each measured daemon stage, left out of its figures (JIT warm-up)
 * @param serverBatched         measured duration of the batched HTTP ingest
 * @param serverSingle          measured duration of the single-message HTTP ingest
 * @param chainMessages         messages at least in the source queue for the scheduler, and so in the index queue for
 *                              the indexer (topped up over AMQP when HTTP ingest left fewer)
 * @param schedulerPerTick      N of the rate-accuracy route
 * @param schedulerTicks        ticks measured for rate accuracy
 * @param indexerLatency        duration of the indexer's paced latency phase
 * @param stepDuration          duration of each end-to-end step at a fixed offered rate
 * @param maxSteps              end-to-end steps at most
 * @param drainTimeout          longest wait for the pipeline to catch up after a step
 */
public record Plan(int rabbitSeconds, int rabbitWarmupSeconds, List<Integer> bulkBatchSizes,
                   List<Integer> bulkConcurrencies, Duration bulkEach, Duration bulkWarmup, Duration warmup,
                   Duration serverBatched, Duration serverSingle, int chainMessages, int schedulerPerTick,
                   int schedulerTicks, Duration indexerLatency, Duration stepDuration, int maxSteps,
                   Duration drainTimeout) {

    public static Plan full() {
        return new Plan(25, 5, List.of(500, 1000, 2000), List.of(1, 2, 3), Duration.ofSeconds(6),
                Duration.ofSeconds(20), Duration.ofSeconds(5), Duration.ofSeconds(20), Duration.ofSeconds(10),
                200_000, 2_000, 10, Duration.ofSeconds(15), Duration.ofSeconds(60), 5, Duration.ofSeconds(30));
    }

    public static Plan quick() {
        return new Plan(3, 1, List.of(1000), List.of(1, 2), Duration.ofSeconds(1), Duration.ofSeconds(1),
                Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(1), 10_000, 1_000, 2,
                Duration.ofSeconds(2), Duration.ofSeconds(3), 2, Duration.ofSeconds(8));
    }
}
