package io.dynamicindex.benchmark.measure;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LatencySamplesTest {

    @Test
    void percentilesAreNearestRankInMilliseconds() {
        LatencySamples samples = new LatencySamples();
        for (int i = 100; i >= 1; i--) {
            samples.add(i * 1_000_000L);
        }

        assertThat(samples.count()).isEqualTo(100);
        assertThat(samples.percentileMillis(50)).isEqualTo(50.0);
        assertThat(samples.percentileMillis(99)).isEqualTo(99.0);
        assertThat(samples.percentileMillis(100)).isEqualTo(100.0);
    }

    @Test
    void noSampleMeansNoPercentile() {
        assertThat(new LatencySamples().percentileMillis(99)).isNull();
    }

    @Test
    void readsCpuTimeAndPeakMemoryOfThisProcess() {
        long pid = ProcessHandle.current().pid();

        assertThat(ProcFs.cpuSeconds(pid)).isPositive();
        assertThat(ProcFs.peakRssMib(pid)).isPositive();
        assertThat(ProcFs.machineBusySeconds()).isPositive();
        assertThat(ProcFs.cpuSeconds(Long.MAX_VALUE)).isNaN();
    }
}
