package io.dynamicindex.scheduler.move;

/**
 * Ready messages in a route's two queues, as the brokers reported them; null when a broker could not be asked.
 *
 * @param source ready messages in the source queue.
 * @param target ready messages in the target queue.
 */
public record QueueDepths(Long source, Long target) {

    public static final QueueDepths UNKNOWN = new QueueDepths(null, null);
}
