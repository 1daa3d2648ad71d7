package org.huisclos.turn;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Ephemeral TURN credentials in coturn's REST-API scheme ({@code use-auth-secret}, from
 * draft-uberti-behave-turn-rest): the username is {@code <expiry unix seconds>:<random id>} and the
 * credential is base64(HMAC-SHA1(shared secret, username)). The TURN server recomputes the
 * credential from the username and refuses it once the expiry has passed (at allocation; a running
 * allocation is not cut). The id is random for every credential: it names nobody, so the TURN
 * server's log learns nothing about who or which room.
 */
public final class TurnCredentials {
    /** Bytes of randomness in the username's id (22 base64url characters). */
    private static final int ID_BYTES = 16;

    private final List<String> urls;
    private final SecretKeySpec key;
    private final Duration lifetime;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    /** One credential, valid until {@code expiresAt} (unix seconds). */
    public record Credential(String username, String credential, long expiresAt) {
        @Override
        public String toString() {
            return "Credential[expiresAt=" + expiresAt + "]"; // never the secret-derived part
        }
    }

    /**
     * @param urls the TURN servers' {@code turn:}/{@code turns:} URLs, all sharing {@code secret}
     * @param secret coturn's {@code static-auth-secret}
     * @param lifetime how long a credential may be used to allocate
     */
    public TurnCredentials(List<String> urls, String secret, Duration lifetime, Clock clock) {
        if (urls.isEmpty() || secret.isEmpty() || lifetime.isNegative() || lifetime.isZero()) {
            throw new IllegalArgumentException("TURN needs URLs, a secret and a positive lifetime");
        }
        this.urls = List.copyOf(urls);
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA1");
        this.lifetime = lifetime;
        this.clock = clock;
    }

    public TurnCredentials(List<String> urls, String secret, Duration lifetime) {
        this(urls, secret, lifetime, Clock.systemUTC());
    }

    public List<String> urls() {
        return urls;
    }

    public Duration lifetime() {
        return lifetime;
    }

    /** A fresh credential with a new random id, expiring {@link #lifetime()} from now. */
    public Credential issue() {
        byte[] id = new byte[ID_BYTES];
        random.nextBytes(id);
        long expiresAt = clock.instant().getEpochSecond() + lifetime.toSeconds();
        String username = expiresAt + ":" + Base64.getUrlEncoder().withoutPadding().encodeToString(id);
        return new Credential(username, credentialFor(username), expiresAt);
    }

    /** base64(HMAC-SHA1(secret, username)): what the TURN server expects as the password. */
    public String credentialFor(String username) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(key);
            return Base64.getEncoder().encodeToString(mac.doFinal(username.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is part of every Java runtime", e);
        }
    }

    @Override
    public String toString() {
        return "TurnCredentials" + urls + " lifetime " + lifetime.toSeconds() + " s";
    }
}
