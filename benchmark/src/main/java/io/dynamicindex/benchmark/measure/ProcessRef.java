package io.dynamicindex.benchmark.measure;

/** A process the benchmark watches, by role: "queue-indexer", "elasticsearch", "rabbitmq", "harness". */
public record ProcessRef(String name, long pid) {

    public static ProcessRef self() {
        return new ProcessRef("harness", ProcessHandle.current().pid());
    }
}
