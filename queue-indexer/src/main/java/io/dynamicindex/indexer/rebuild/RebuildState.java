package io.dynamicindex.indexer.rebuild;

import java.time.Duration;
import java.time.Instant;

/**
 * One row of {@code archive_rebuild}.
 *
 * @param failedIn      the phase a failed rebuild resumes in; null unless failed
 * @param lastDocId     the last document id copied by the backfill (its resume point); null before the first bulk
 * @param markSeq       changes with a higher change_seq are copied by the catch-up; null before the mark
 * @param totalEstimate documents the archive held for the alias when the rebuild started
 * @param runBase       copied plus caught-up when the current run started, for the rate of this run
 * @param previous      what the alias pointed to before the switch, as the switch found it
 */
public record RebuildState(String alias, String targetIndex, String settings, RebuildPhase phase,
                           RebuildPhase failedIn, String lastDocId, Long markSeq, long copied, long caughtUp,
                           Long totalEstimate, int resumes, long runBase, Instant startedAt, Instant runStartedAt,
                           Instant updatedAt, Instant switchedAt, String previous, String error) {

    /** Whether a resume has something to continue. */
    public boolean resumable() {
        return phase != RebuildPhase.SWITCHED;
    }

    /** The phase a run continues in: the recorded one, or the one a failed rebuild failed in. */
    public RebuildPhase continuesIn() {
        return phase == RebuildPhase.FAILED ? failedIn : phase;
    }

    /** Documents written per second by the current (or last) run, from its start to the last update. */
    public double documentsPerSecond() {
        double seconds = Duration.between(runStartedAt, updatedAt).toMillis() / 1000.0;
        return seconds <= 0 ? 0 : (copied + caughtUp - runBase) / seconds;
    }
}
