package io.dynamicindex.indexer.rebuild;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A run's phase and counts, logged every progress-every and at the end with the rates of this run. */
final class Progress {

    private static final Logger LOG = LoggerFactory.getLogger(Rebuilder.class);

    private final String alias;
    private final Long totalEstimate;
    private final long everyNanos;
    private final long runStarted = System.nanoTime();
    private RebuildPhase phase;
    private long copied;
    private long caughtUp;
    private long copyStarted;
    private long copyEnded;
    private long lastLog = System.nanoTime();

    Progress(String alias, RebuildState state, Duration every) {
        this.alias = alias;
        this.totalEstimate = state.totalEstimate();
        this.everyNanos = every.toNanos();
        this.phase = state.continuesIn();
    }

    RebuildPhase phase() {
        return phase;
    }

    void enter(RebuildPhase next) {
        long now = System.nanoTime();
        if (next == RebuildPhase.COPYING) {
            copyStarted = now;
        } else if (phase == RebuildPhase.COPYING && copyStarted != 0) {
            copyEnded = now;
        }
        phase = next;
    }

    void copied(int documents) {
        copied += documents;
        logNow();
    }

    void caughtUp(int documents) {
        caughtUp += documents;
        logNow();
    }

    long copiedThisRun() {
        return copied;
    }

    /** The backfill's documents per second in this run; 0 when this run did not copy. */
    double copyRate() {
        long end = copyEnded != 0 ? copyEnded : System.nanoTime();
        return copyStarted == 0 || end == copyStarted ? 0 : copied * 1e9 / (end - copyStarted);
    }

    void finished(RebuildState state) {
        double seconds = (System.nanoTime() - runStarted) / 1e9;
        LOG.info("{}: rebuild done, alias switched to {}: this run copied {} documents at {} docs/s and caught up {} "
                        + "changes, {} documents in {} s ({} docs/s overall); resumed {} time(s)", alias,
                state.targetIndex(), copied, Math.round(copyRate()), caughtUp, copied + caughtUp,
                Math.round(seconds * 10) / 10.0, Math.round((copied + caughtUp) / Math.max(seconds, 1e-3)),
                state.resumes());
    }

    private void logNow() {
        long now = System.nanoTime();
        if (now - lastLog < everyNanos) {
            return;
        }
        lastLog = now;
        double seconds = (now - runStarted) / 1e9;
        LOG.info("{}: {} - this run copied {} (archive ~{}), caught up {}, {} docs/s", alias, phase.column(), copied,
                totalEstimate, caughtUp, Math.round((copied + caughtUp) / seconds));
    }
}
