package io.dynamicindex.common;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
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

    /** Whether two digests are equal, in time independent of where they differ. */
    public static boolean matches(byte[] expected, byte[] actual) {
        return MessageDigest.isEqual(expected, actual);
    }
}
