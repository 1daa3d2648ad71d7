package org.huisclos.registry;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Turns room names into room keys: HMAC-SHA256 of the name under a secret, hex, 32 characters.
 * Cluster state, logs and metrics only ever see keys. The secret is random per process unless
 * configured (HUISCLOS_ROOM_KEY_SECRET), so a key cannot be tested against guessed names.
 */
public final class RoomKeys {
    private final SecretKeySpec secret;

    public RoomKeys(byte[] secret) {
        if (secret.length < 16) {
            throw new IllegalArgumentException("the room key secret needs at least 16 bytes");
        }
        this.secret = new SecretKeySpec(secret.clone(), "HmacSHA256");
    }

    public static RoomKeys random() {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        return new RoomKeys(secret);
    }

    public String keyOf(String roomName) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(secret);
            byte[] digest = mac.doFinal(roomName.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
    }
}
