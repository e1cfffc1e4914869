package io.dynamicindex.benchmark.stage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class StepRunnerTest {

    @Test
    void backlogSlopeIsFittedOverTheSecondHalfOnly() {
        List<double[]> samples = new ArrayList<>();
        for (int second = 1; second <= 60; second++) {
            double backlog = second <= 30 ? 1_000.0 * second : 30_000 + 50.0 * (second - 30);
            samples.add(new double[] {second, backlog});
        }

        assertThat(StepRunner.slope(samples, 30)).isCloseTo(50, within(0.001));
    }

    @Test
    void aFlatBacklogHasNoSlope() {
        List<double[]> samples = List.of(new double[] {1, 500}, new double[] {2, 500}, new double[] {3, 500});

        assertThat(StepRunner.slope(samples, 0)).isZero();
        assertThat(StepRunner.slope(List.of(), 0)).isZero();
    }
}
