package io.dynamicindex.benchmark.environment;

import io.dynamicindex.benchmark.measure.ProcFs;
import io.dynamicindex.benchmark.measure.ProcessRef;
import io.dynamicindex.infra.DaemonProcess;

/** One running daemon under test, by module name, with its process for /proc readings. Stopping it is idempotent. */
public final class Daemon implements AutoCloseable {

    private final String name;
    private final DaemonProcess process;

    Daemon(String name, DaemonProcess process) {
        this.name = name;
        this.process = process;
    }

    public String name() {
        return name;
    }

    public String url() {
        return process.url();
    }

    public ProcessRef ref() {
        return new ProcessRef(name, process.pid());
    }

    /** Peak resident memory so far (VmHWM), MiB. */
    public double peakRssMib() {
        return ProcFs.peakRssMib(process.pid());
    }

    @Override
    public void close() {
        process.close();
    }
}
