package io.dynamicindex.benchmark.measure;

/**
 * A process the benchmark watches, by role: "queue-indexer", "elasticsearch", "rabbitmq", "harness". With
 * {@code withDescendants} its CPU includes every process it started, ended or alive (PostgreSQL's backends).
 */
public record ProcessRef(String name, long pid, boolean withDescendants) {

    public ProcessRef(String name, long pid) {
        this(name, pid, false);
    }

    public static ProcessRef self() {
        return new ProcessRef("harness", ProcessHandle.current().pid());
    }

    /** A process whose CPU counts its descendants', such as PostgreSQL's postmaster and its backends. */
    public static ProcessRef tree(String name, long pid) {
        return new ProcessRef(name, pid, true);
    }

    /** CPU seconds used so far; NaN when the process is gone. */
    public double cpuSeconds() {
        return withDescendants ? ProcFs.treeCpuSeconds(pid) : ProcFs.cpuSeconds(pid);
    }
}
