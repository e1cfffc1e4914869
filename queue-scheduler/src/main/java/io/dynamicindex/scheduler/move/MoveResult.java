package io.dynamicindex.scheduler.move;

/**
 * What one tick moved.
 *
 * @param moved  messages confirmed on the target and then acknowledged on the source.
 * @param depths both queues' depths right after the move.
 */
public record MoveResult(int moved, QueueDepths depths) {
}
