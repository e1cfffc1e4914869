package io.dynamicindex.benchmark.measure;

import java.util.Arrays;

/** Latency samples in nanoseconds, recorded from many threads, read as percentiles in milliseconds. */
public final class LatencySamples {

    private long[] samples = new long[1024];
    private int size;

    public synchronized void add(long nanos) {
        if (size == samples.length) {
            samples = Arrays.copyOf(samples, size * 2);
        }
        samples[size++] = nanos;
    }

    public synchronized int count() {
        return size;
    }

    /** The percentile (0 to 100) in milliseconds, nearest-rank; null when there is no sample. */
    public synchronized Double percentileMillis(double percentile) {
        if (size == 0) {
            return null;
        }
        long[] sorted = Arrays.copyOf(samples, size);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(percentile / 100.0 * size);
        return sorted[Math.max(0, Math.min(size - 1, rank - 1))] / 1e6;
    }
}
