package io.dynamicindex.indexer.rebuild;

import java.time.Duration;

/** Waits that end the rebuild's run when its thread is interrupted (the daemon shuts down). */
final class Pause {

    private Pause() {
    }

    static void sleep(Duration wait) {
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RebuildStopped();
        }
    }

    /** Throws {@link RebuildStopped} when the thread was interrupted. */
    static void checkInterrupted() {
        if (Thread.currentThread().isInterrupted()) {
            throw new RebuildStopped();
        }
    }
}
