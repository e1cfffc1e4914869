package io.dynamicindex.benchmark.report;

/** One goal of the issue against what this run measured. */
public record GoalCheck(String goal, String measured, boolean met) {
}
