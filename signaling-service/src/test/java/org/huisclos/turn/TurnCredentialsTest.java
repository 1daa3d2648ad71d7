package org.huisclos.turn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class TurnCredentialsTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z"); // 1767225600
    private static final TurnCredentials TURN = new TurnCredentials(List.of("turn:127.0.0.1:3478"),
            "correct horse battery staple", Duration.ofSeconds(600), Clock.fixed(NOW, ZoneOffset.UTC));

    /**
     * Vector computed independently with OpenSSL:
     * printf %s '1767225600:huisclos-test' | openssl dgst -sha1 -hmac 'correct horse battery staple' -binary | base64
     */
    @Test
    void credentialIsBase64OfHmacSha1OfTheUsername() {
        assertEquals("CZFp4NgmJDoRi59PanmzR8cda+k=", TURN.credentialFor("1767225600:huisclos-test"));
    }

    @Test
    void usernameStartsWithTheExpiryLifetimeFromNow() {
        TurnCredentials.Credential c = TURN.issue();
        assertEquals(NOW.getEpochSecond() + 600, c.expiresAt());
        String[] parts = c.username().split(":", 2);
        assertEquals(String.valueOf(NOW.getEpochSecond() + 600), parts[0]);
        assertEquals(TURN.credentialFor(c.username()), c.credential());
    }

    @Test
    void idIsRandomAndOpaque() {
        TurnCredentials.Credential a = TURN.issue();
        TurnCredentials.Credential b = TURN.issue();
        assertNotEquals(a.username(), b.username());
        String id = a.username().split(":", 2)[1];
        assertTrue(id.matches("[A-Za-z0-9_-]{22}"), id);
        assertFalse(a.toString().contains(a.credential()), "toString must not show the credential");
    }

    @Test
    void refusesAnIncompleteConfiguration() {
        assertThrows(IllegalArgumentException.class, () -> new TurnCredentials(List.of(), "s", Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class,
                () -> new TurnCredentials(List.of("turn:a"), "", Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class,
                () -> new TurnCredentials(List.of("turn:a"), "s", Duration.ZERO));
    }
}
