package io.dynamicindex.scheduler.console;

/**
 * One queue as the console shows it.
 *
 * @param route        the route it belongs to.
 * @param role         {@code source} or {@code target}.
 * @param queue        the queue name.
 * @param messages     ready messages, or null when the broker could not be asked.
 * @param consumers    consumers, or null.
 * @param publishRate  messages per second published into it (management API only), or null.
 * @param deliverRate  messages per second delivered from it (management API only), or null.
 * @param from         where the figures come from: {@code management-api}, {@code amqp}, or the error.
 */
public record QueueFigures(String route, String role, String queue, Long messages, Long consumers,
                           Double publishRate, Double deliverRate, String from) {
}
