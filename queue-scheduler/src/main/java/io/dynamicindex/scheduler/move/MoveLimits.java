package io.dynamicindex.scheduler.move;

import java.time.Duration;

/**
 * How a tick moves, the same for every route.
 *
 * @param window         most messages in flight: the consumer prefetch.
 * @param confirmTimeout how long to wait for the target to confirm anything of what was published.
 * @param receiveTimeout how long to wait for the next delivery before the tick treats the source as drained.
 * @param packChanges    most changes one envelope published to the target joins; 1 publishes messages unchanged.
 * @param packBytes      most bytes of one such envelope's body.
 */
public record MoveLimits(int window, Duration confirmTimeout, Duration receiveTimeout, int packChanges,
                         long packBytes) {
}
