package io.dynamicindex.benchmark.report;

/**
 * Where and how the run happened.
 *
 * @param date              start, ISO-8601 UTC
 * @param mode              "full" or "short"
 * @param command           the command that runs it
 * @param machine           CPU model, cores, memory, OS and JDK
 * @param rabbitmq          which broker: "local service" (RabbitMQ) or an embedded stand-in
 * @param elasticsearch     which Elasticsearch
 * @param postgres          which PostgreSQL
 * @param daemonSettings    "defaults", or the properties given with --set, by daemon
 * @param loadAverageBefore the 1-minute load average when the run started: others' work on the same cores
 * @param wallSeconds       how long the whole run took
 */
public record RunInfo(String date, String mode, String command, String machine, String rabbitmq,
                      String elasticsearch, String postgres, String daemonSettings, double loadAverageBefore, double wallSeconds) {
}
