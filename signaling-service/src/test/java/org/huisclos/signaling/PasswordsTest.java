package org.huisclos.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;
import org.junit.jupiter.api.Test;

/** Room password hashes: Argon2id in PHC encoding, salted, verified; guesses limited. */
class PasswordsTest {
    @Test
    void bouncyCastlesArgon2idMatchesRfc9106sTestVector() {
        // RFC 9106 §5.3: Argon2id, m=32 KiB, t=3, p=4, secret and associated data.
        byte[] out = new byte[32];
        Argon2BytesGenerator g = new Argon2BytesGenerator();
        g.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id).withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(32).withIterations(3).withParallelism(4)
                .withSalt(repeat(0x02, 16)).withSecret(repeat(0x03, 8)).withAdditional(repeat(0x04, 12)).build());
        g.generateBytes(repeat(0x01, 32), out);
        assertEquals("0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659", HexFormat.of().formatHex(out));
    }

    @Test
    void hashesAreSaltedArgon2idAndVerifyOnlyTheRightPassword() {
        String a = Passwords.hash("correct horse");
        String b = Passwords.hash("correct horse");
        assertTrue(a.startsWith("$argon2id$v=19$m=19456,t=2,p=1$"), a);
        assertNotEquals(a, b, "a random salt per hash");
        assertFalse(a.contains("correct"));
        assertTrue(Passwords.verify("correct horse", a));
        assertTrue(Passwords.verify("correct horse", b));
        assertFalse(Passwords.verify("correct horsE", a));
        assertFalse(Passwords.verify("", a));
        assertFalse(Passwords.verify("correct horse", "$argon2i$v=19$m=19456,t=2,p=1$AAAA$AAAA"));
        assertFalse(Passwords.verify("correct horse", "not a hash"));
        assertFalse(Passwords.verify("correct horse", "$argon2id$v=19$m=99999999,t=2,p=1$AAAA$AAAA"));
    }

    @Test
    void guessesAreLimitedInASlidingWindow() {
        GuessLimiter limiter = new GuessLimiter();
        long t = 1_000_000;
        for (int i = 0; i < GuessLimiter.LIMIT; i++) {
            assertEquals(0, limiter.retryAfterMillis("room", t + i));
            limiter.failed("room", t + i);
        }
        assertEquals(GuessLimiter.WINDOW_MILLIS - 10, limiter.retryAfterMillis("room", t + 10));
        assertEquals(0, limiter.retryAfterMillis("other", t + 10));
        assertEquals(0, limiter.retryAfterMillis("room", t + GuessLimiter.WINDOW_MILLIS), "the oldest guess expired");
    }

    private static byte[] repeat(int b, int n) {
        byte[] out = new byte[n];
        java.util.Arrays.fill(out, (byte) b);
        return out;
    }

    @Test
    void aFullGuessLimiterForgetsTheRoomGuessedLongestAgoNotOneUnderAttack() {
        GuessLimiter limiter = new GuessLimiter();
        long t = 1_000_000;
        for (int i = 0; i < GuessLimiter.LIMIT; i++) {
            limiter.failed("attacked", t + i); // the first key in, then the others
        }
        for (int k = 1; k < GuessLimiter.MAX_KEYS; k++) {
            limiter.failed("room-" + k, t + 10 + k);
        }
        limiter.failed("attacked", t + 20_000); // still being guessed at: the latest of all
        assertTrue(limiter.retryAfterMillis("attacked", t + 20_001) > 0, "locked after " + GuessLimiter.LIMIT + " guesses");
        limiter.failed("one-more-room", t + 20_002); // full: one key must go
        assertTrue(limiter.retryAfterMillis("attacked", t + 20_003) > 0,
                "the room under attack keeps its count (it was the first key in, not the oldest guessed)");
        limiter.failed("room-1", t + 20_004); // room-1's count was dropped: it starts again at one guess
        for (int i = 0; i < GuessLimiter.LIMIT - 2; i++) {
            limiter.failed("room-1", t + 20_005 + i);
        }
        assertEquals(0, limiter.retryAfterMillis("room-1", t + 20_010),
                "room-1, guessed longest ago, was the one forgotten: " + (GuessLimiter.LIMIT - 1) + " guesses since");
    }
}
