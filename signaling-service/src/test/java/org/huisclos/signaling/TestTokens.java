package org.huisclos.signaling;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/** Builds compact JWS for tests (an organisation's portal would). */
final class TestTokens {
    static final String SECRET = "a-test-secret-of-well-over-thirty-two-characters";

    private TestTokens() {
    }

    static String b64(byte[] b) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    static String b64(JsonObject o) {
        return b64(o.encode().getBytes(StandardCharsets.UTF_8));
    }

    static String unsigned(String alg, JsonObject claims) {
        return b64(new JsonObject().put("alg", alg).put("typ", "JWT")) + "." + b64(claims);
    }

    static String hs256(String secret, JsonObject claims) {
        return hs256(secret, "HS256", claims);
    }

    static String hs256(String secret, String alg, JsonObject claims) {
        String input = unsigned(alg, claims);
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return input + "." + b64(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String ed25519(Ed25519PrivateKeyParameters key, String alg, JsonObject claims) {
        String input = unsigned(alg, claims);
        Ed25519Signer signer = new Ed25519Signer();
        signer.init(true, key);
        byte[] bytes = input.getBytes(StandardCharsets.US_ASCII);
        signer.update(bytes, 0, bytes.length);
        return input + "." + b64(signer.generateSignature());
    }

    static Ed25519PrivateKeyParameters newEd25519Key() {
        return new Ed25519PrivateKeyParameters(new SecureRandom());
    }

    static long now() {
        return System.currentTimeMillis() / 1000;
    }

    static JsonObject validFor(long seconds) {
        return new JsonObject().put("sub", "member-1").put("exp", now() + seconds);
    }
}
