package io.dynamicindex.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

import io.dynamicindex.server.config.QueueServerProperties.PartnerSettings;
import io.dynamicindex.server.config.QueueServerProperties.QueueSettings;
import io.dynamicindex.server.config.QueueServerProperties.QueueType;

class PartnerKeysTest {

    private static final Map<String, QueueSettings> QUEUES = Map.of("TSHOP", new QueueSettings(QueueType.CLASSIC, null, true,
            20, true));

    @Test
    void authenticatesAKeyGivenAsItsSha256() {
        String digest = HexFormat.of().formatHex(io.dynamicindex.common.SecretDigest.of("secret"));
        PartnerKeys keys = PartnerKeys.from(properties(false, new PartnerSettings(digest, null, List.of("TSHOP"))));
        assertThat(keys.authenticate("secret")).hasValueSatisfying(p -> assertThat(p.name()).isEqualTo("tshop"));
        assertThat(keys.authenticate("wrong")).isEmpty();
        assertThat(keys.authenticate(null)).isEmpty();
    }

    @Test
    void refusesAPlainKeyWithoutTheDevelopmentFlag() {
        assertThatThrownBy(() -> PartnerKeys.from(properties(false, new PartnerSettings(null, "secret", List.of()))))
                .hasMessageContaining("dynamic-index.server.partners.tshop.key")
                .hasMessageContaining("allow-plain-keys=true")
                .hasMessageNotContaining("secret");
        assertThat(PartnerKeys.from(properties(true, new PartnerSettings(null, "secret", List.of())))
                .authenticate("secret")).isPresent();
    }

    @Test
    void refusesAMalformedDigestNamingThePropertyWithoutShowingTheValue() {
        String pastedPlainKey = "partner-secret-key-0123456789";
        assertThatThrownBy(() -> PartnerKeys.from(properties(false,
                new PartnerSettings(pastedPlainKey, null, List.of()))))
                .hasMessageContaining("dynamic-index.server.partners.tshop.key-sha256 is not a SHA-256 digest")
                .hasMessageContaining("64 hex digits")
                .hasMessageNotContaining(pastedPlainKey);
    }

    @Test
    void refusesAnUnknownQueue() {
        assertThatThrownBy(() -> PartnerKeys.from(properties(true, new PartnerSettings(null, "k", List.of("PDM")))))
                .hasMessageContaining("partners.tshop.queues contains 'PDM'");
    }

    private static QueueServerProperties properties(boolean allowPlain, PartnerSettings partner) {
        return new QueueServerProperties(QUEUES, Map.of("tshop", partner), allowPlain, DataSize.ofMegabytes(5),
                1000, Duration.ofSeconds(5), Duration.ofSeconds(5));
    }
}
