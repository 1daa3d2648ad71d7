package org.huisclos.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Set;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.junit.jupiter.api.AfterAll;

/**
 * Jazzer target: sign-in tokens (JwtVerifier, docs/reliability.md). The input, as text, is a token: neither
 * the HS256 nor the Ed25519 verifier accepts it (it is not signed with their keys) and both refuse it
 * with a {@link JwtVerifier.BadToken} saying malformed, unsupported alg or bad signature, never with another
 * exception. The input's bytes as the claims of a token we sign ourselves: the verifier returns exactly
 * those claims, or refuses them as malformed, expired or not yet valid, never for their signature.
 */
class JwtFuzzTargetTest {
    private static final long NOW = 1_800_000_000L;
    private static final JwtVerifier HS256 = JwtVerifier.hs256(TestTokens.SECRET);
    private static final Ed25519PrivateKeyParameters ED_KEY = new Ed25519PrivateKeyParameters(new byte[32], 0);
    private static final JwtVerifier ED25519 = JwtVerifier.ed25519(
            Base64.getEncoder().encodeToString(ED_KEY.generatePublicKey().getEncoded()));
    private static final Set<String> FOREIGN = Set.of(JwtVerifier.MALFORMED, JwtVerifier.UNSUPPORTED_ALG,
            JwtVerifier.BAD_SIGNATURE);
    private static final Set<String> OURS = Set.of(JwtVerifier.MALFORMED, JwtVerifier.EXPIRED,
            JwtVerifier.NOT_YET_VALID);
    private static final String HEADER = TestTokens.b64(new JsonObject().put("alg", "HS256").put("typ", "JWT"));
    private static long executions;

    @FuzzTest
    void verify(byte[] data) {
        executions++;
        String token = new String(data, StandardCharsets.UTF_8);
        for (JwtVerifier verifier : new JwtVerifier[] {HS256, ED25519}) {
            try {
                verifier.verify(token, NOW);
                fail("a token nobody signed verified with " + verifier.algorithm());
            } catch (JwtVerifier.BadToken e) {
                assertTrue(FOREIGN.contains(e.reason()), e.reason());
            }
        }
        String ours = sign(HEADER + "." + TestTokens.b64(data));
        try {
            JsonObject claims = HS256.verify(ours, NOW);
            assertEquals(new JsonObject(new String(data, StandardCharsets.UTF_8)), claims);
        } catch (JwtVerifier.BadToken e) {
            assertTrue(OURS.contains(e.reason()), e.reason());
        }
    }

    private static String sign(String input) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(TestTokens.SECRET.getBytes(StandardCharsets.UTF_8),
                    "HmacSHA256"));
            return input + "." + TestTokens.b64(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
        } catch (java.security.GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    @AfterAll
    static void report() throws Exception {
        FuzzStats.write(JwtFuzzTargetTest.class, executions);
    }
}
