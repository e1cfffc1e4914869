package io.dynamicindex.benchmark.measure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads CPU time and peak resident memory of a process, and the busy time of the whole machine, from Linux's /proc.
 * CPU time is utime + stime in clock ticks ({@code getconf CLK_TCK}, 100 on this kernel).
 */
public final class ProcFs {

    private static final double TICKS_PER_SECOND = clockTicks();

    private ProcFs() {
    }

    /** User plus system CPU seconds the process has used so far; NaN when it is gone. */
    public static double cpuSeconds(long pid) {
        long[] ticks = cpuTicks(pid);
        return ticks == null ? Double.NaN : (ticks[0] + ticks[1]) / TICKS_PER_SECOND;
    }

    /**
     * CPU seconds of the process and of every descendant, ended or alive: its own time, the time of the children it
     * has reaped (cutime + cstime, which the kernel adds when a child ends), and this sum for each live child. Its
     * change over a window counts a child that started and ended within it, such as a PostgreSQL backend of a short
     * connection, exactly; NaN when the process is gone.
     */
    public static double treeCpuSeconds(long pid) {
        long[] ticks = cpuTicks(pid);
        if (ticks == null) {
            return Double.NaN;
        }
        double children = ProcessHandle.of(pid).stream().flatMap(ProcessHandle::children)
                .mapToDouble(child -> treeCpuSeconds(child.pid())).filter(seconds -> !Double.isNaN(seconds)).sum();
        return (ticks[0] + ticks[1] + ticks[2] + ticks[3]) / TICKS_PER_SECOND + children;
    }

    /** utime, stime, cutime and cstime in clock ticks; null when the process is gone. */
    private static long[] cpuTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return new long[] {Long.parseLong(fields[11]), Long.parseLong(fields[12]), Long.parseLong(fields[13]),
                    Long.parseLong(fields[14])};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The process's peak resident set size (VmHWM) in MiB; NaN when it is gone. */
    public static double peakRssMib(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone
        }
        return Double.NaN;
    }

    /** CPU seconds all cores spent busy (not idle, not waiting for I/O) since boot. */
    public static double machineBusySeconds() {
        try {
            String[] fields = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long busy = 0;
            for (int i = 1; i < fields.length && i <= 8; i++) {
                if (i != 4 && i != 5) {
                    busy += Long.parseLong(fields[i]);
                }
            }
            return busy / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    private static double clockTicks() {
        try {
            Process getconf = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(getconf.getInputStream().readAllBytes()).trim();
            return getconf.waitFor() == 0 ? Double.parseDouble(out) : 100;
        } catch (IOException | RuntimeException e) {
            return 100;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 100;
        }
    }
}
