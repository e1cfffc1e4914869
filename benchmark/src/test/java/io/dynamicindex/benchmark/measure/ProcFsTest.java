package io.dynamicindex.benchmark.measure;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProcFsTest {

    /** A child that burns CPU and ends between two readings, as a backend of a short PostgreSQL connection does. */
    @Test
    void treeCpuCountsAChildThatStartedAndEndedWithinTheWindow() throws Exception {
        long self = ProcessHandle.current().pid();
        ProcessRef tree = ProcessRef.tree("harness", self);
        ProcessRef alone = ProcessRef.self();
        double treeBefore = tree.cpuSeconds();
        double aloneBefore = alone.cpuSeconds();

        Process child = new ProcessBuilder("sh", "-c", "i=0; while [ $i -lt 300000 ]; do i=$((i+1)); done").start();
        assertThat(child.waitFor()).isZero();

        double childSeconds = tree.cpuSeconds() - treeBefore - (alone.cpuSeconds() - aloneBefore);
        assertThat(childSeconds).as("the ended child's CPU").isGreaterThan(0.05);
    }

    @Test
    void aProcessThatIsGoneReadsAsNaN() throws Exception {
        Process child = new ProcessBuilder("true").start();
        child.waitFor();
        assertThat(ProcFs.treeCpuSeconds(child.pid())).isNaN();
        assertThat(ProcFs.cpuSeconds(child.pid())).isNaN();
    }
}
