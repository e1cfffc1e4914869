package io.dynamicindex.benchmark.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The goals for this 2-core machine, checked against one run's figures. */
public final class Goals {

    private static final double SUSTAINED_RATE = 8_000;
    private static final double DAEMON_MICROS = 40;
    private static final double RABBIT_MICROS = 40;
    private static final double DRAIN_TO_REFERENCE = 0.8;
    private static final String END_TO_END = "end to end";
    /**
     * Each stage's goal as a share of its ceiling: the stage issues' goals (server 0.7, scheduler 0.8, indexer 0.8),
     * and the benchmark issue's 0.7 for the whole pipeline.
     */
    private static final Map<String, Double> STAGE_RATIOS = Map.of("queue-server batched", 0.7,
            "queue-scheduler", 0.8, "queue-indexer", 0.8, END_TO_END, 0.7);
    private static final double P99_MILLIS = 3_000;

    private Goals() {
    }

    public static List<GoalCheck> check(List<StageResult> stages) {
        List<GoalCheck> goals = new ArrayList<>();
        stages.stream().filter(s -> s.stage().equals(END_TO_END)).findFirst()
                .ifPresent(endToEnd -> endToEndGoals(endToEnd, goals));
        stages.stream().filter(s -> s.stage().equals("queue-indexer")).findFirst()
                .ifPresent(indexer -> consumeBulkGoal(indexer, goals));
        for (StageResult stage : stages) {
            Double ratio = STAGE_RATIOS.get(stage.stage());
            if (ratio == null) {
                continue;
            }
            goals.add(new GoalCheck(String.format("%s >= %.1f x %s", stage.stage(), ratio, stage.ceilingName()),
                    String.format("%.2f", stage.ratio()), stage.ratio() >= ratio));
        }
        return goals;
    }

    private static void endToEndGoals(StageResult endToEnd, List<GoalCheck> goals) {
        boolean sustained = Boolean.TRUE.equals(endToEnd.details().get("sustained"));
        goals.add(new GoalCheck("end to end >= 8,000 docs/s sustained", sustained
                ? String.format("%,.0f docs/s", endToEnd.details().get("bestOfferedRate")) : "no step sustained",
                sustained && (double) endToEnd.details().get("bestOfferedRate") >= SUSTAINED_RATE));
        double micros = endToEnd.cpuMicrosPerMessageTotal();
        goals.add(new GoalCheck("three daemons together <= 40 µs CPU per message",
                String.format("%.1f µs", micros), micros <= DAEMON_MICROS));
        if (endToEnd.details().get("cpuMicrosPerMessageAllProcesses") instanceof Map<?, ?> all
                && all.get("rabbitmq") instanceof Number rabbit) {
            goals.add(new GoalCheck("RabbitMQ <= 40 µs CPU per change over both hops",
                    String.format("%.1f µs", rabbit.doubleValue()), rabbit.doubleValue() <= RABBIT_MICROS));
        }
        Double p99 = endToEnd.latencyP99Ms();
        goals.add(new GoalCheck("end-to-end p99 acceptance -> searchable < 3 s",
                p99 == null ? "no probe" : String.format("%.0f ms", p99), p99 != null && p99 < P99_MILLIS));
    }

    private static void consumeBulkGoal(StageResult indexer, List<GoalCheck> goals) {
        if (indexer.details().get("drainToConsumeBulk") instanceof Number ratio) {
            goals.add(new GoalCheck("queue-indexer drain >= 0.8 x consume + _bulk reference",
                    String.format("%.2f", ratio.doubleValue()), ratio.doubleValue() >= DRAIN_TO_REFERENCE));
        }
    }

    /** For the JSON: every goal by name. */
    static Map<String, Boolean> asMap(List<GoalCheck> goals) {
        Map<String, Boolean> map = new java.util.LinkedHashMap<>();
        goals.forEach(g -> map.put(g.goal(), g.met()));
        return map;
    }
}
