package org.huisclos.signaling;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/** Participant ids and resume tokens: random, unguessable, compared in constant time. */
final class Credentials {
    private static final SecureRandom RANDOM = new SecureRandom();

    private Credentials() {
    }

    /** "p" and 16 hex digits (64 random bits): a pseudonym, unique for the meeting's lifetime. */
    static String newParticipantId() {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        return "p" + HexFormat.of().formatHex(bytes);
    }

    /** 32 random bytes, base64url without padding. */
    static String newResumeToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Constant-time in the length of the expected token. */
    static boolean tokensMatch(String expected, String offered) {
        return MessageDigest.isEqual(
                expected.getBytes(StandardCharsets.UTF_8), offered.getBytes(StandardCharsets.UTF_8));
    }
}
