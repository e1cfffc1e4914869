package io.dynamicindex.server.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.dynamicindex.common.IndexAllowList;
import io.dynamicindex.common.SecretDigest;
import io.dynamicindex.server.config.QueueServerProperties.PartnerSettings;

/**
 * The partners' API keys, held as SHA-256 digests and compared in constant time. Built once at startup; a partner
 * without a valid key or with an unknown queue stops startup with a message naming the property.
 */
public final class PartnerKeys {

    private static final String PREFIX = "dynamic-index.server.partners.";

    private final List<Partner> partners;

    private PartnerKeys(List<Partner> partners) {
        this.partners = List.copyOf(partners);
    }

    /** A partner as the API sees it: its name, the queues it may write and the indices its changes may name. */
    public record Partner(String name, Set<String> queues, IndexAllowList indices, byte[] keyDigest) {
    }

    public static PartnerKeys from(QueueServerProperties properties) {
        List<Partner> partners = new ArrayList<>();
        for (Map.Entry<String, PartnerSettings> entry : properties.partners().entrySet()) {
            String name = entry.getKey();
            PartnerSettings settings = entry.getValue();
            byte[] digest = digestOf(name, settings, properties.allowPlainKeys());
            for (String queue : settings.queues()) {
                if (!properties.queues().containsKey(queue)) {
                    throw new IllegalStateException(PREFIX + name + ".queues contains '" + queue
                            + "', which is not a configured queue; add dynamic-index.server.queues." + queue
                            + " or remove it from the partner");
                }
            }
            IndexAllowList indices = settings.indices() == null ? IndexAllowList.any()
                    : IndexAllowList.of(settings.indices());
            partners.add(new Partner(name, Set.copyOf(settings.queues()), indices, digest));
        }
        return new PartnerKeys(partners);
    }

    private static byte[] digestOf(String name, PartnerSettings settings, boolean allowPlainKeys) {
        boolean hasHash = settings.keySha256() != null && !settings.keySha256().isBlank();
        boolean hasPlain = settings.key() != null && !settings.key().isBlank();
        if (hasHash == hasPlain) {
            throw new IllegalStateException(PREFIX + name + " needs exactly one of key-sha256 or key");
        }
        if (hasPlain && !allowPlainKeys) {
            throw new IllegalStateException(PREFIX + name + ".key is a plain-text key, which is refused unless "
                    + "dynamic-index.server.allow-plain-keys=true (development only); set "
                    + PREFIX + name + ".key-sha256 to its SHA-256 instead");
        }
        return hasPlain ? SecretDigest.of(settings.key())
                : SecretDigest.parse(PREFIX + name + ".key-sha256", settings.keySha256());
    }

    /** The partner owning this key, if any. Every configured digest is compared, so timing does not leak which. */
    public Optional<Partner> authenticate(String apiKey) {
        return SecretDigest.owner(partners, Partner::keyDigest, apiKey);
    }

    /** The partners without an {@code indices} setting, whose changes may name any index. */
    public List<String> unrestricted() {
        return partners.stream().filter(p -> p.indices().unrestricted()).map(Partner::name).toList();
    }

    public List<String> names() {
        return partners.stream().map(Partner::name).toList();
    }
}
