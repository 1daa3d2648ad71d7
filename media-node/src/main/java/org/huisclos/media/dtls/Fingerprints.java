package org.huisclos.media.dtls;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** Certificate fingerprints in the SDP {@code a=fingerprint:sha-256} form (RFC 8122 §5). */
public final class Fingerprints {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();
    private static final int SHA256_LENGTH = 32;

    private Fingerprints() {
    }

    /** SHA-256 of the DER certificate as uppercase hex pairs joined by ':'. */
    public static String sha256(byte[] der) {
        byte[] digest = digest(der);
        StringBuilder sb = new StringBuilder(digest.length * 3 - 1);
        for (int i = 0; i < digest.length; i++) {
            if (i > 0) {
                sb.append(':');
            }
            sb.append(HEX[(digest[i] >> 4) & 0xF]).append(HEX[digest[i] & 0xF]);
        }
        return sb.toString();
    }

    /**
     * Whether the SDP fingerprint (hex case-insensitive, RFC 8122 §5) is the SHA-256 of {@code der}.
     * The digests are compared in constant time; a malformed value never matches.
     */
    public static boolean matches(String sdpFingerprint, byte[] der) {
        byte[] expected = parseOrNull(sdpFingerprint);
        return expected != null && MessageDigest.isEqual(expected, digest(der));
    }

    /** Parses an SDP sha-256 fingerprint into its 32 bytes; rejects anything else. */
    static byte[] parse(String sdpFingerprint) {
        byte[] bytes = parseOrNull(sdpFingerprint);
        if (bytes == null) {
            throw new IllegalArgumentException("not a sha-256 fingerprint (32 colon-separated hex pairs)");
        }
        return bytes;
    }

    private static byte[] parseOrNull(String value) {
        if (value == null) {
            return null;
        }
        String s = value.trim();
        if (s.length() != SHA256_LENGTH * 3 - 1) {
            return null;
        }
        byte[] out = new byte[SHA256_LENGTH];
        for (int i = 0; i < SHA256_LENGTH; i++) {
            int p = i * 3;
            if (i > 0 && s.charAt(p - 1) != ':') {
                return null;
            }
            int hi = Character.digit(s.charAt(p), 16);
            int lo = Character.digit(s.charAt(p + 1), 16);
            if (hi < 0 || lo < 0) {
                return null;
            }
            out[i] = (byte) ((hi << 4) | lo);
        }
        return out;
    }

    static byte[] digest(byte[] der) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(der);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is mandatory in every JDK", e);
        }
    }
}
