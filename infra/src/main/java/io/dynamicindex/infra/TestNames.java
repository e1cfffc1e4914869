package io.dynamicindex.infra;

import java.util.Locale;
import java.util.UUID;

/** Unique, lower-case names for queues, indices and schemas, so that tests never share state. */
public final class TestNames {

    private TestNames() {
    }

    /** prefix plus eight random hex digits, lower-case (valid as a queue, index and schema name). */
    public static String unique(String prefix) {
        return (prefix + "_" + UUID.randomUUID().toString().substring(0, 8)).toLowerCase(Locale.ROOT);
    }
}
