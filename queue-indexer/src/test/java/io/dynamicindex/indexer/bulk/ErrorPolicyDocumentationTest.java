package io.dynamicindex.indexer.bulk;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/** The configuration reference lists exactly the built-in error-policy table, in the code's order. */
class ErrorPolicyDocumentationTest {

    private static final Pattern ROW = Pattern.compile("^\\| `([a-z0-9_]+)` \\| `([a-z-]+)` \\|$",
            Pattern.MULTILINE);

    @Test
    void configurationReferenceListsTheBuiltInTable() throws IOException {
        String document = Files.readString(Path.of("..", "docs", "configuration.md"));
        String section = document.substring(document.indexOf("## Error policy"), document.indexOf("## Connections"));
        Map<String, String> documented = new LinkedHashMap<>();
        Matcher row = ROW.matcher(section);
        while (row.find()) {
            documented.put(row.group(1), row.group(2));
        }
        Map<String, String> code = new LinkedHashMap<>();
        ErrorPolicy.DEFAULTS.forEach((key, action) -> code.put(key,
                action.name().toLowerCase(Locale.ROOT).replace('_', '-')));

        assertThat(documented).containsExactlyEntriesOf(code);
    }
}
