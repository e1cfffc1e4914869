package io.dynamicindex.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * docs/configuration.md holds, between its generated markers, a table rendered from the configuration metadata
 * that the properties classes produce. This test fails when the two differ. To regenerate the table after changing
 * a properties class: {@code mvn -pl e2e test -Dtest=ConfigurationReferenceTest -Ddocs.regenerate=true}.
 */
class ConfigurationReferenceTest {

    private static final Path DOC = Path.of("..", "docs", "configuration.md");
    private static final String START = "<!-- generated:start -->";
    private static final String END = "<!-- generated:end -->";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void documentsEveryPropertyOfEveryDaemon() throws IOException {
        String document = Files.readString(DOC, StandardCharsets.UTF_8);
        String rendered = render();
        int start = document.indexOf(START) + START.length();
        int end = document.indexOf(END);
        String current = document.substring(start, end);
        if (Boolean.getBoolean("docs.regenerate")) {
            Files.writeString(DOC, document.substring(0, start) + rendered + document.substring(end),
                    StandardCharsets.UTF_8);
            current = rendered;
        }
        assertThat(current).as("docs/configuration.md is out of date; regenerate it with "
                + "mvn -pl e2e test -Dtest=ConfigurationReferenceTest -Ddocs.regenerate=true").isEqualTo(rendered);
    }

    private static String render() throws IOException {
        StringBuilder out = new StringBuilder("\n");
        for (String daemon : List.of("management", "queue-server", "queue-scheduler", "queue-indexer", "outbox-relay")) {
            out.append("\n### ").append(daemon).append("\n\n| Property | Type | Default | Meaning |\n|---|---|---|---|\n");
            JsonNode metadata = JSON.readTree(Files.readAllBytes(Path.of("..", daemon, "target", "classes",
                    "META-INF", "spring-configuration-metadata.json")));
            for (JsonNode property : metadata.path("properties")) {
                out.append("| `").append(property.path("name").asString()).append("` | ")
                        .append(simpleType(property.path("type").asString())).append(" | ")
                        .append(property.has("defaultValue") ? "`" + property.get("defaultValue").asString() + "`"
                                : "").append(" | ")
                        .append(markdown(property.path("description").asString()))
                        .append(" |\n");
            }
        }
        return out.append("\n").toString();
    }

    /** Javadoc to Markdown: {@code x} becomes `x` (braces inside x allowed), pipes are escaped. */
    static String markdown(String javadoc) {
        StringBuilder out = new StringBuilder();
        int from = 0;
        int code;
        while ((code = javadoc.indexOf("{@code ", from)) >= 0) {
            int depth = 1;
            int end = code + "{@code ".length();
            while (end < javadoc.length() && depth > 0) {
                char c = javadoc.charAt(end++);
                depth += c == '{' ? 1 : c == '}' ? -1 : 0;
            }
            out.append(javadoc, from, code).append('`').append(javadoc, code + "{@code ".length(), end - 1)
                    .append('`');
            from = end;
        }
        return out.append(javadoc.substring(from)).toString().replace("|", "\\|").replace("\n", " ");
    }

    private static String simpleType(String type) {
        return type.replaceAll("[a-z]+\\.", "").replace("<", "&lt;").replace(">", "&gt;").replace("$", ".");
    }
}
