package org.huisclos.signaling;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Participant ids (random, unguessable) and resume tokens. A resume token is
 * {@code v1.<mac>.<nodeId>}: {@code mac} is base64url(HMAC-SHA256(session secret,
 * "v1" NUL participant NUL roomKey NUL nodeId)), so that any signaling instance sharing the
 * cluster's session secret can check it without state; the room key is not carried, it comes from
 * the room name the client sends again with {@code resume}. Compared in constant time.
 */
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

    /** 32 random bytes: a session secret for a signaling server that is given none. */
    static byte[] newSecret() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    /** The resume token of that participant, room key and media node under {@code secret}. */
    static String resumeToken(byte[] secret, String participantId, String roomKey, String nodeId) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            byte[] tag = mac.doFinal(String.join("\0", "v1", participantId, roomKey, nodeId)
                    .getBytes(StandardCharsets.UTF_8));
            return "v1." + Base64.getUrlEncoder().withoutPadding().encodeToString(tag) + "." + nodeId;
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }

    /** The media node id a well-formed token names (it still has to be checked), or null. */
    static String nodeIdOf(String token) {
        String[] parts = token.split("\\.", 3);
        if (parts.length != 3 || !parts[0].equals("v1") || !parts[2].matches("[A-Za-z0-9_.-]{1,64}")) {
            return null;
        }
        return parts[2];
    }

    /** Constant-time in the length of the expected token. */
    static boolean tokensMatch(String expected, String offered) {
        return MessageDigest.isEqual(
                expected.getBytes(StandardCharsets.UTF_8), offered.getBytes(StandardCharsets.UTF_8));
    }
}
