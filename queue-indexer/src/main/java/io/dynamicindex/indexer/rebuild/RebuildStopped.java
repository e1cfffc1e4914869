package io.dynamicindex.indexer.rebuild;

/** The run was interrupted (the daemon shuts down); the rebuild stays resumable where it stood. */
final class RebuildStopped extends RuntimeException {

    RebuildStopped() {
        super("stopped: the process is shutting down; resume the rebuild");
    }
}
