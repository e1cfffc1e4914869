package io.dynamicindex.indexer.rebuild;

/**
 * A rebuild as {@code GET /api/v1/rebuilds/{alias}} and the command line show it.
 *
 * @param running            whether a run (in any process) holds the alias's rebuild lease now
 * @param phase              copying, catching_up, switched or failed
 * @param failedIn           the phase a failed rebuild resumes in
 * @param copied             documents copied by the backfill, over all runs
 * @param caughtUp           changes copied by catch-up rounds and the switch, over all runs
 * @param totalEstimate      live documents of the alias in the archive when the rebuild started
 * @param documentsPerSecond copied plus caught up per second in the current or last run
 * @param markSeq            the change sequence up to which the new index has (or will have, after the copy) every
 *                           change
 * @param lastDocId          the backfill's resume point
 * @param previous           what the alias pointed to before the switch
 */
public record RebuildView(String alias, String targetIndex, boolean running, String phase, String failedIn,
                          long copied, long caughtUp, Long totalEstimate, double documentsPerSecond, Long markSeq,
                          String lastDocId, int resumes, String startedAt, String updatedAt, String switchedAt,
                          String previous, String error) {

    /** The view of a state row. */
    public static RebuildView of(RebuildState state, boolean running) {
        return new RebuildView(state.alias(), state.targetIndex(), running, state.phase().column(),
                state.failedIn() == null ? null : state.failedIn().column(), state.copied(), state.caughtUp(),
                state.totalEstimate(), Math.round(state.documentsPerSecond() * 10) / 10.0, state.markSeq(),
                state.lastDocId(), state.resumes(), String.valueOf(state.startedAt()),
                String.valueOf(state.updatedAt()), state.switchedAt() == null ? null : state.switchedAt().toString(),
                state.previous(), state.error());
    }
}
