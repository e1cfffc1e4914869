package io.dynamicindex.benchmark.report;

import java.util.List;

/** Every figure of one run: the ceilings, each stage alone, the end-to-end steps and the goals. */
public record BenchmarkReport(RunInfo run, List<Ceiling> ceilings, List<StageResult> stages,
                              List<EndToEndStep> endToEndSteps, List<GoalCheck> goals) {
}
