package io.dynamicindex.scheduler.move;

/**
 * What one tick moved.
 *
 * @param moved    changes confirmed on the target and then acknowledged on the source (an envelope counts its
 *                 changes); may exceed what was asked by less than one message.
 * @param messages the AMQP messages that carried them.
 * @param depths   both queues' depths right after the move.
 */
public record MoveResult(int moved, int messages, QueueDepths depths) {
}
