package org.huisclos.signaling;

import java.security.SecureRandom;
import java.util.HexFormat;

/** Participant ids (random, unguessable) and session secrets; resume tokens are {@link ResumeTokens}. */
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
}
