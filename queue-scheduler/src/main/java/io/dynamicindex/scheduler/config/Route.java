package io.dynamicindex.scheduler.config;

/** One resolved, validated route: move up to messagesPerTick messages from source to target on each cron tick. */
public record Route(String name, String source, String target, String cron, int messagesPerTick) {
}
