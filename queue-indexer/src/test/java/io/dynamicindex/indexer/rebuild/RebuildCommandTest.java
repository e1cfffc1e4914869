package io.dynamicindex.indexer.rebuild;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class RebuildCommandTest {

    @Test
    void readsNamedArgumentsAndFlags() {
        assertThat(RebuildCommand.options(new String[] {"--alias=products", "--resume", "--a.b=x=y", "plain"}))
                .containsExactly(java.util.Map.entry("alias", "products"), java.util.Map.entry("resume", ""),
                        java.util.Map.entry("a.b", "x=y"));
    }

    @Test
    void exitsWithTwoAndTheUsageWithoutAliasOrWithBothSettingsAndResume() {
        assertUsage(new String[] {"--settings=/tmp/x.json"});
        assertUsage(new String[] {"--alias=products"});
        assertUsage(new String[] {"--alias=products", "--settings=/tmp/x.json", "--resume"});
    }

    private static void assertUsage(String[] args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = RebuildCommand.run(args, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("usage: RebuildCommand --alias=NAME");
    }
}
