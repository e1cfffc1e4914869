package io.dynamicindex.management.security;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.dynamicindex.common.SecretDigest;
import io.dynamicindex.management.ManagementProperties;
import io.dynamicindex.management.ManagementProperties.TokenSettings;
import io.dynamicindex.management.OperatorRole;

/**
 * The configured operator tokens, held as SHA-256 digests. Built once at startup; a token without exactly one of
 * {@code token-sha256} and {@code token}, or a plain token without the development switch, stops startup with a
 * message naming the property and never its value.
 */
public final class OperatorTokens {

    private static final String PREFIX = "dynamic-index.management.tokens.";

    private final List<Operator> operators;

    private OperatorTokens(List<Operator> operators) {
        this.operators = List.copyOf(operators);
    }

    /** A token's owner as the audit trail names it, and its role. */
    public record Operator(String name, OperatorRole role, byte[] digest) {
    }

    public static OperatorTokens from(ManagementProperties properties) {
        List<Operator> operators = new ArrayList<>();
        for (Map.Entry<String, TokenSettings> entry : properties.tokens().entrySet()) {
            TokenSettings settings = entry.getValue();
            byte[] digest = digestOf(entry.getKey(), settings, properties.allowPlainTokens());
            operators.add(new Operator(entry.getKey(), settings.role(), digest));
        }
        return new OperatorTokens(operators);
    }

    private static byte[] digestOf(String name, TokenSettings settings, boolean allowPlainTokens) {
        boolean hasDigest = settings.tokenSha256() != null && !settings.tokenSha256().isBlank();
        boolean hasPlain = settings.token() != null && !settings.token().isBlank();
        if (hasDigest == hasPlain) {
            throw new IllegalStateException(PREFIX + name + " needs exactly one of token-sha256 or token");
        }
        if (hasPlain && !allowPlainTokens) {
            throw new IllegalStateException(PREFIX + name + ".token is a plain-text token, which is refused unless "
                    + "dynamic-index.management.allow-plain-tokens=true (development only); set " + PREFIX + name
                    + ".token-sha256 to its SHA-256 instead");
        }
        return hasPlain ? SecretDigest.of(settings.token()) : SecretDigest.parse(PREFIX + name + ".token-sha256",
                settings.tokenSha256());
    }

    /** The owner of this token, if any. Every digest is compared, so timing does not tell which one matched. */
    public Optional<Operator> authenticate(String token) {
        return SecretDigest.owner(operators, Operator::digest, token);
    }

    public boolean isEmpty() {
        return operators.isEmpty();
    }

    /** The token names with their roles, for the startup log. */
    public List<String> describe() {
        return operators.stream().map(operator -> operator.name() + " (" + operator.role().name().toLowerCase()
                + ")").toList();
    }
}
