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
        PartnerKeys keys = PartnerKeys.from(properties(false,
                new PartnerSettings(digest, null, List.of("TSHOP"), null)));
        assertThat(keys.authenticate("secret")).hasValueSatisfying(p -> assertThat(p.name()).isEqualTo("tshop"));
        assertThat(keys.authenticate("wrong")).isEmpty();
        assertThat(keys.authenticate(null)).isEmpty();
    }

    @Test
    void refusesAPlainKeyWithoutTheDevelopmentFlag() {
        assertThatThrownBy(() -> PartnerKeys.from(properties(false,
                new PartnerSettings(null, "secret", List.of(), null))))
                .hasMessageContaining("dynamic-index.server.partners.tshop.key")
                .hasMessageContaining("allow-plain-keys=true")
                .hasMessageNotContaining("secret");
        assertThat(PartnerKeys.from(properties(true, new PartnerSettings(null, "secret", List.of(), null)))
                .authenticate("secret")).isPresent();
    }

    @Test
    void refusesAMalformedDigestNamingThePropertyWithoutShowingTheValue() {
        String pastedPlainKey = "partner-secret-key-0123456789";
        assertThatThrownBy(() -> PartnerKeys.from(properties(false,
                new PartnerSettings(pastedPlainKey, null, List.of(), null))))
                .hasMessageContaining("dynamic-index.server.partners.tshop.key-sha256 is not a SHA-256 digest")
                .hasMessageContaining("64 hex digits")
                .hasMessageNotContaining(pastedPlainKey);
    }

    @Test
    void refusesAnUnknownQueue() {
        assertThatThrownBy(() -> PartnerKeys.from(properties(true,
                new PartnerSettings(null, "k", List.of("PDM"), null))))
                .hasMessageContaining("partners.tshop.queues contains 'PDM'");
    }

    private static QueueServerProperties properties(boolean allowPlain, PartnerSettings partner) {
        return new QueueServerProperties(QUEUES, Map.of("tshop", partner), allowPlain, DataSize.ofMegabytes(5),
                1000, Duration.ofSeconds(5), Duration.ofSeconds(5), 64, 100, Duration.ofSeconds(10));
    }

    @Test
    void holdsEachPartnersIndexAllowListAndNamesThoseWithout() {
        PartnerKeys keys = PartnerKeys.from(new QueueServerProperties(QUEUES, Map.of(
                "shop1", new PartnerSettings(null, "k1", List.of("TSHOP"), List.of("shop1-*", "shop1-alias")),
                "legacy", new PartnerSettings(null, "k2", List.of("TSHOP"), null)), true, DataSize.ofMegabytes(5),
                1000, Duration.ofSeconds(5), Duration.ofSeconds(5), 64, 100, Duration.ofSeconds(10)));

        assertThat(keys.authenticate("k1")).hasValueSatisfying(p -> {
            assertThat(p.indices().allows("shop1-products")).isTrue();
            assertThat(p.indices().allows("shop1-alias")).isTrue();
            assertThat(p.indices().allows("shop1")).isFalse();
            assertThat(p.indices().allows("shop2-products")).isFalse();
        });
        assertThat(keys.authenticate("k2")).hasValueSatisfying(p -> assertThat(p.indices().allows("any")).isTrue());
        assertThat(keys.unrestricted()).containsExactly("legacy");
    }
}
