package io.dynamicindex.benchmark.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The goals for this 2-core machine, checked against one run's figures. */
public final class Goals {

    private static final double SUSTAINED_RATE = 8_000;
    private static final double DAEMON_MICROS = 40;
    private static final double STAGE_RATIO = 0.7;
    private static final double P99_MILLIS = 3_000;
    /** A latency figure: one confirm round trip per message, so not held against the broker's throughput. */
    private static final String SINGLE_MESSAGE_STAGE = "queue-server single";

    private Goals() {
    }

    public static List<GoalCheck> check(List<StageResult> stages, List<EndToEndStep> steps) {
        List<GoalCheck> goals = new ArrayList<>();
        StageResult endToEnd = stages.stream().filter(s -> s.stage().equals("end to end")).findFirst().orElseThrow();
        boolean sustained = Boolean.TRUE.equals(endToEnd.details().get("sustained"));
        goals.add(new GoalCheck("end to end >= 8,000 docs/s sustained", sustained
                ? String.format("%,.0f docs/s", endToEnd.details().get("bestOfferedRate")) : "no step sustained",
                sustained && (double) endToEnd.details().get("bestOfferedRate") >= SUSTAINED_RATE));
        double micros = endToEnd.cpuMicrosPerMessageTotal();
        goals.add(new GoalCheck("three daemons together <= 40 µs CPU per message",
                String.format("%.1f µs", micros), micros <= DAEMON_MICROS));
        for (StageResult stage : stages) {
            if (stage.stage().equals(SINGLE_MESSAGE_STAGE)) {
                continue;
            }
            goals.add(new GoalCheck(stage.stage() + " >= 0.7 x " + stage.ceilingName(),
                    String.format("%.2f", stage.ratio()), stage.ratio() >= STAGE_RATIO));
        }
        Double p99 = endToEnd.latencyP99Ms();
        goals.add(new GoalCheck("end-to-end p99 acceptance -> searchable < 3 s",
                p99 == null ? "no probe" : String.format("%.0f ms", p99), p99 != null && p99 < P99_MILLIS));
        return goals;
    }

    /** For the JSON: every goal by name. */
    static Map<String, Boolean> asMap(List<GoalCheck> goals) {
        Map<String, Boolean> map = new java.util.LinkedHashMap<>();
        goals.forEach(g -> map.put(g.goal(), g.met()));
        return map;
    }
}
