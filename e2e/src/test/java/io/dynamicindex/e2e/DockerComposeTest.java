package io.dynamicindex.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Docker cannot run on the build machines, so docker-compose.yml is checked here: every daemon has a service, and
 * every environment key it sets binds to a real property of that daemon (its own, or one of Spring Boot's).
 */
class DockerComposeTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void runsTheInfrastructureAndEveryDaemon() throws IOException {
        assertThat(services().keySet()).contains("rabbitmq", "elasticsearch", "kibana", "postgres",
                "queue-server", "queue-scheduler", "queue-indexer");
    }

    @ParameterizedTest
    @ValueSource(strings = {"queue-server", "queue-scheduler", "queue-indexer"})
    void setsOnlyRealPropertiesOfTheDaemon(String daemon) throws IOException {
        @SuppressWarnings("unchecked")
        Map<String, Object> environment = (Map<String, Object>) ((Map<String, Object>) services().get(daemon))
                .getOrDefault("environment", Map.of());
        Set<String> known = knownEnvironmentKeys(daemon);
        assertThat(environment.keySet()).isNotEmpty().allSatisfy(key ->
                assertThat(known).as("%s sets %s, which binds to no property of %s", daemon, key, daemon)
                        .contains(key));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> services() throws IOException {
        try (InputStream in = Files.newInputStream(Path.of("..", "docker-compose.yml"))) {
            return (Map<String, Object>) ((Map<String, Object>) new Yaml().load(in)).get("services");
        }
    }

    /** Environment variable names of the daemon's own properties and of every Spring Boot property. */
    private static Set<String> knownEnvironmentKeys(String daemon) throws IOException {
        Set<String> keys = new HashSet<>();
        addKeys(keys, Files.readAllBytes(Path.of("..", daemon, "target", "classes", "META-INF",
                "spring-configuration-metadata.json")), "dynamic-index.");
        for (URL url : Collections.list(DockerComposeTest.class.getClassLoader()
                .getResources("META-INF/spring-configuration-metadata.json"))) {
            try (InputStream in = url.openStream()) {
                addKeys(keys, in.readAllBytes(), "spring.", "server.", "management.");
            }
        }
        return keys;
    }

    private static void addKeys(Set<String> keys, byte[] metadata, String... prefixes) {
        for (JsonNode property : JSON.readTree(metadata).path("properties")) {
            String name = property.path("name").asString();
            for (String prefix : prefixes) {
                if (name.startsWith(prefix)) {
                    keys.add(name.replace("-", "").replace('.', '_').toUpperCase(Locale.ROOT));
                }
            }
        }
    }
}
