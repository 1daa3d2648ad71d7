package org.huisclos.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.json.JsonObject;
import java.util.Base64;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.junit.jupiter.api.Test;

class JwtVerifierTest {
    private final JwtVerifier hs = JwtVerifier.hs256(TestTokens.SECRET);
    private final long now = TestTokens.now();

    private String reason(JwtVerifier v, String token) {
        return assertThrows(JwtVerifier.BadToken.class, () -> v.verify(token, now)).reason();
    }

    @Test
    void validHs256() throws Exception {
        JsonObject claims = hs.verify(TestTokens.hs256(TestTokens.SECRET, TestTokens.validFor(60)), now);
        assertEquals("member-1", claims.getString("sub"));
    }

    @Test
    void validEd25519RawAndPem() throws Exception {
        Ed25519PrivateKeyParameters key = TestTokens.newEd25519Key();
        byte[] pub = key.generatePublicKey().getEncoded();
        String token = TestTokens.ed25519(key, "EdDSA", TestTokens.validFor(60));
        JwtVerifier.ed25519(Base64.getEncoder().encodeToString(pub)).verify(token, now);
        byte[] spki = new SubjectPublicKeyInfo(new AlgorithmIdentifier(EdECObjectIdentifiers.id_Ed25519), pub).getEncoded();
        String pem = "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(spki) + "\n-----END PUBLIC KEY-----\n";
        JwtVerifier.ed25519(pem).verify(token, now);
        // Another key's signature is refused.
        String other = TestTokens.ed25519(TestTokens.newEd25519Key(), "EdDSA", TestTokens.validFor(60));
        assertEquals(JwtVerifier.BAD_SIGNATURE, reason(JwtVerifier.ed25519(pem), other));
    }

    @Test
    void forgedSignatureAndClaims() {
        assertEquals(JwtVerifier.BAD_SIGNATURE,
                reason(hs, TestTokens.hs256("another-secret-of-more-than-32-characters!!", TestTokens.validFor(60))));
        String good = TestTokens.hs256(TestTokens.SECRET, TestTokens.validFor(60));
        String[] parts = good.split("\\.");
        String tampered = parts[0] + "." + TestTokens.b64(TestTokens.validFor(999_999)) + "." + parts[2];
        assertEquals(JwtVerifier.BAD_SIGNATURE, reason(hs, tampered));
    }

    @Test
    void algNoneAndSwappedAlgorithms() throws Exception {
        assertEquals(JwtVerifier.UNSUPPORTED_ALG, reason(hs, TestTokens.unsigned("none", TestTokens.validFor(60)) + "."));
        assertEquals(JwtVerifier.UNSUPPORTED_ALG, reason(hs, TestTokens.unsigned("none", TestTokens.validFor(60)) + ".AAAA"));
        assertEquals(JwtVerifier.UNSUPPORTED_ALG, reason(hs, TestTokens.hs256(TestTokens.SECRET, "HS512", TestTokens.validFor(60))));
        Ed25519PrivateKeyParameters key = TestTokens.newEd25519Key();
        byte[] pub = key.generatePublicKey().getEncoded();
        JwtVerifier ed = JwtVerifier.ed25519(Base64.getEncoder().encodeToString(pub));
        // HS256 keyed with the public key (the classic confusion) is refused by an EdDSA verifier.
        assertEquals(JwtVerifier.UNSUPPORTED_ALG, reason(ed, TestTokens.hs256(
                Base64.getEncoder().encodeToString(pub), TestTokens.validFor(60))));
        // An EdDSA token is refused by an HS256 verifier.
        assertEquals(JwtVerifier.UNSUPPORTED_ALG, reason(hs, TestTokens.ed25519(key, "EdDSA", TestTokens.validFor(60))));
    }

    @Test
    void expiredAndNotYetValidWithLeeway() throws Exception {
        assertEquals(JwtVerifier.EXPIRED, reason(hs, TestTokens.hs256(TestTokens.SECRET,
                new JsonObject().put("exp", now - 31))));
        hs.verify(TestTokens.hs256(TestTokens.SECRET, new JsonObject().put("exp", now - 20)), now); // within leeway
        assertEquals(JwtVerifier.NOT_YET_VALID, reason(hs, TestTokens.hs256(TestTokens.SECRET,
                new JsonObject().put("exp", now + 600).put("nbf", now + 120))));
        hs.verify(TestTokens.hs256(TestTokens.SECRET, new JsonObject().put("exp", now + 600).put("nbf", now + 20)), now);
        assertEquals(JwtVerifier.MALFORMED, reason(hs, TestTokens.hs256(TestTokens.SECRET,
                new JsonObject().put("sub", "no exp"))));
        assertEquals(JwtVerifier.MALFORMED, reason(hs, TestTokens.hs256(TestTokens.SECRET,
                new JsonObject().put("exp", "tomorrow"))));
    }

    @Test
    void malformedAndOversize() {
        for (String bad : new String[] {"", "abc", "a.b", "a.b.c.d", "!!!.e30.AAAA", ".e30.AAAA",
                TestTokens.b64("not json".getBytes()) + ".e30.AAAA",
                TestTokens.unsigned("HS256", TestTokens.validFor(60)) + ".A+/="}) {
            assertEquals(JwtVerifier.MALFORMED, reason(hs, bad), bad);
        }
        String big = TestTokens.hs256(TestTokens.SECRET, TestTokens.validFor(60).put("pad", "x".repeat(5000)));
        assertEquals(JwtVerifier.MALFORMED, reason(hs, big));
        assertThrows(IllegalArgumentException.class, () -> JwtVerifier.hs256("short"));
        assertThrows(IllegalArgumentException.class, () -> JwtVerifier.ed25519("AAAA"));
    }
}
