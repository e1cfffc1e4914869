package io.dynamicindex.benchmark;

import io.dynamicindex.benchmark.report.BenchmarkReport;
import io.dynamicindex.benchmark.report.ReportWriter;

/**
 * Runs the benchmark and writes its three outputs: the table on the console, the JSON file and (for a full run)
 * BENCHMARKS.md. Options are described in {@link BenchmarkOptions}. Exits 0 when every figure was produced, whatever
 * the speeds; 1 when a stage failed.
 */
public final class BenchmarkMain {

    private BenchmarkMain() {
    }

    public static void main(String[] args) {
        try {
            BenchmarkOptions options = BenchmarkOptions.parse(args);
            BenchmarkReport report = new Benchmark(options).run();
            write(options, report);
            System.exit(0);
        } catch (Exception e) {
            System.err.println("[benchmark] failed: " + e);
            e.printStackTrace();
            System.exit(1);
        }
    }

    /** Prints the table and writes the JSON and, when asked for, the Markdown report. */
    public static void write(BenchmarkOptions options, BenchmarkReport report) throws java.io.IOException {
        System.out.println(ReportWriter.console(report));
        ReportWriter.json(report, options.json());
        System.out.println("[benchmark] JSON: " + options.json());
        if (options.markdown() != null) {
            ReportWriter.markdown(report, options.markdown());
            System.out.println("[benchmark] Markdown: " + options.markdown());
        }
    }
}
