package io.dynamicindex.common;

/**
 * Finds the first byte that is not part of well-formed UTF-8 (RFC 3629), or a NUL, which JSON never holds raw. The
 * queue server refuses such a body; the scheduler never packs such a message (JSON parsers skip over some of these
 * bytes inside strings, e.g. overlong forms and surrogates, so a parse alone does not find them).
 */
public final class Utf8 {

    private Utf8() {
    }

    /** The offset of the first invalid byte, or -1 when the bytes are well-formed UTF-8 without NUL. */
    public static int firstInvalid(byte[] bytes) {
        int i = 0;
        while (i < bytes.length) {
            int lead = bytes[i] & 0xFF;
            int length = sequenceLength(lead);
            if (length == 0 || !continues(bytes, i, length)
                    || length > 1 && !shortestForm(lead, bytes[i + 1] & 0xFF)) {
                return i;
            }
            i += length;
        }
        return -1;
    }

    /** 1 to 4, or 0 for NUL and bytes that cannot start a sequence. */
    private static int sequenceLength(int lead) {
        if (lead == 0) {
            return 0;
        }
        if (lead < 0x80) {
            return 1;
        }
        if (lead >= 0xC2 && lead <= 0xDF) {
            return 2;
        }
        if (lead >= 0xE0 && lead <= 0xEF) {
            return 3;
        }
        return lead >= 0xF0 && lead <= 0xF4 ? 4 : 0;
    }

    private static boolean continues(byte[] bytes, int start, int length) {
        if (start + length > bytes.length) {
            return false;
        }
        for (int k = 1; k < length; k++) {
            if ((bytes[start + k] & 0xC0) != 0x80) {
                return false;
            }
        }
        return true;
    }

    /** Refuses overlong forms, UTF-16 surrogates and code points beyond U+10FFFF, all decided by the second byte. */
    private static boolean shortestForm(int lead, int second) {
        return switch (lead) {
            case 0xE0 -> second >= 0xA0;
            case 0xED -> second <= 0x9F;
            case 0xF0 -> second >= 0x90;
            case 0xF4 -> second <= 0x8F;
            default -> true;
        };
    }
}
