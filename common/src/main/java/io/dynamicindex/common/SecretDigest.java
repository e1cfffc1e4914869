package io.dynamicindex.common;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * SHA-256 digests of secrets (partner keys, operator tokens), which are configured only as digests and compared in
 * constant time. Error messages name the property, never its value: a value in the wrong place may be the secret.
 */
public final class SecretDigest {

    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-fA-F]{64}");

    private SecretDigest() {
    }

    /** The SHA-256 of a secret's UTF-8 bytes. */
    public static byte[] of(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }

    /**
     * A configured digest.
     *
     * @throws IllegalStateException naming {@code property} (not the value) when it is not 64 hex digits.
     */
    public static byte[] parse(String property, String hex) {
        if (hex == null || !SHA256_HEX.matcher(hex).matches()) {
            throw new IllegalStateException(property + " is not a SHA-256 digest: it must be 64 hex digits (the "
                    + "value is not shown, as it may be a secret pasted in the wrong place)");
        }
        return HexFormat.of().parseHex(hex);
    }

    /**
     * The owner whose digest is the secret's. Every digest is compared in constant time, whatever matched, so the time
     * taken does not tell which owner or how many.
     */
    public static <T> Optional<T> owner(List<T> owners, Function<T, byte[]> digestOf, String secret) {
        if (secret == null || secret.isEmpty()) {
            return Optional.empty();
        }
        byte[] digest = of(secret);
        T found = null;
        for (T owner : owners) {
            if (MessageDigest.isEqual(digestOf.apply(owner), digest)) {
                found = owner;
            }
        }
        return Optional.ofNullable(found);
    }
}
