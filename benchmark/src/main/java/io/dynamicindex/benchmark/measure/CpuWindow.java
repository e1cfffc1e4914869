package io.dynamicindex.benchmark.measure;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CPU seconds used by each watched process, and by the whole machine, between {@link #open} and {@link #close}.
 * The machine figure shows how full the two cores were, which tells a CPU-bound stage from a waiting one.
 */
public final class CpuWindow {

    /** What one window measured: CPU seconds per process name, the machine's busy seconds and the wall time. */
    public record Usage(Map<String, Double> cpuSeconds, double machineBusySeconds, double wallSeconds) {

        /** CPU microseconds per message of one process. */
        public double microsPerMessage(String name, long messages) {
            return cpuSeconds.getOrDefault(name, Double.NaN) * 1e6 / messages;
        }

        /** Busy share of all cores used by processes that are not watched (others' work on the machine), 0 to 1. */
        public double unwatchedUtilisation() {
            double watched = cpuSeconds.values().stream().mapToDouble(Double::doubleValue).sum();
            return Math.max(0, machineBusySeconds - watched) / wallSeconds
                    / Runtime.getRuntime().availableProcessors();
        }

        /** Busy share of all cores, 0 to 1. */
        public double machineUtilisation() {
            return machineBusySeconds / wallSeconds / Runtime.getRuntime().availableProcessors();
        }
    }

    private final List<ProcessRef> processes;
    private final double[] start;
    private final double machineStart;
    private final long startNanos;

    private CpuWindow(List<ProcessRef> processes) {
        this.processes = List.copyOf(processes);
        this.start = processes.stream().mapToDouble(ProcessRef::cpuSeconds).toArray();
        this.machineStart = ProcFs.machineBusySeconds();
        this.startNanos = System.nanoTime();
    }

    public static CpuWindow open(List<ProcessRef> processes) {
        return new CpuWindow(processes);
    }

    /**
     * The CPU each name used: processes of one name add up, and a process watched with its descendants counts theirs,
     * even those that started and ended within the window. A watched process that ended within the window is left out,
     * since its CPU time can no longer be read.
     */
    public Usage close() {
        Map<String, Double> used = new LinkedHashMap<>();
        for (int i = 0; i < processes.size(); i++) {
            double delta = processes.get(i).cpuSeconds() - start[i];
            if (!Double.isNaN(delta)) {
                used.merge(processes.get(i).name(), delta, Double::sum);
            }
        }
        return new Usage(used, ProcFs.machineBusySeconds() - machineStart, (System.nanoTime() - startNanos) / 1e9);
    }
}
