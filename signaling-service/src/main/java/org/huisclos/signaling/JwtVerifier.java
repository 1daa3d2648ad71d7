package org.huisclos.signaling;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * Checks the compact JWS an organisation's portal gives its members (docs/configuration.md,
 * HUISCLOS_JWT_*): one key, one algorithm (HS256 for a shared secret, EdDSA for an Ed25519 public
 * key); {@code alg} must name that algorithm, {@code exp} is required and {@code nbf} honoured,
 * each with {@value #LEEWAY_SECONDS} s of leeway. Claims other than the times are not read, and
 * nothing here is logged. Thread-safe.
 */
public final class JwtVerifier {
    /** Tokens longer than this are refused unread. */
    public static final int MAX_TOKEN_CHARS = 4096;
    static final long LEEWAY_SECONDS = 30;
    static final int MIN_SECRET_CHARS = 32;

    // Reasons of a bad-token error (docs/protocol.md).
    public static final String EXPIRED = "expired";
    public static final String NOT_YET_VALID = "not yet valid";
    public static final String BAD_SIGNATURE = "bad signature";
    public static final String UNSUPPORTED_ALG = "unsupported alg";
    public static final String MALFORMED = "malformed";

    /** Why a token is refused: one of the reasons above. */
    public static final class BadToken extends Exception {
        private static final long serialVersionUID = 1L;

        BadToken(String reason) {
            super(reason, null, false, false);
        }

        public String reason() {
            return getMessage();
        }
    }

    private final String alg;
    private final byte[] hmacKey;
    private final Ed25519PublicKeyParameters edKey;

    private JwtVerifier(String alg, byte[] hmacKey, Ed25519PublicKeyParameters edKey) {
        this.alg = alg;
        this.hmacKey = hmacKey;
        this.edKey = edKey;
    }

    /** HS256 with a shared secret of at least {@value #MIN_SECRET_CHARS} characters. */
    public static JwtVerifier hs256(String secret) {
        if (secret == null || secret.length() < MIN_SECRET_CHARS) {
            throw new IllegalArgumentException("the JWT HS256 secret must have at least " + MIN_SECRET_CHARS + " characters");
        }
        return new JwtVerifier("HS256", secret.getBytes(StandardCharsets.UTF_8), null);
    }

    /** EdDSA (Ed25519) with a public key: base64 of the raw 32 bytes, or a PEM SubjectPublicKeyInfo. */
    public static JwtVerifier ed25519(String publicKey) {
        return new JwtVerifier("EdDSA", null, new Ed25519PublicKeyParameters(ed25519Key(publicKey), 0));
    }

    static byte[] ed25519Key(String text) {
        String t = text.trim();
        boolean pem = t.startsWith("-----BEGIN");
        if (pem) {
            t = t.replaceAll("-----[A-Z ]+-----", "");
        }
        byte[] bytes;
        try {
            bytes = Base64.getMimeDecoder().decode(t.replaceAll("\\s", ""));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the JWT Ed25519 public key is not base64");
        }
        if (bytes.length == Ed25519PublicKeyParameters.KEY_SIZE && !pem) {
            return bytes;
        }
        try {
            SubjectPublicKeyInfo info = SubjectPublicKeyInfo.getInstance(bytes);
            if (!org.bouncycastle.asn1.edec.EdECObjectIdentifiers.id_Ed25519.equals(info.getAlgorithm().getAlgorithm())) {
                throw new IllegalArgumentException("the JWT public key is not an Ed25519 key");
            }
            byte[] raw = info.getPublicKeyData().getBytes();
            if (raw.length != Ed25519PublicKeyParameters.KEY_SIZE) {
                throw new IllegalArgumentException("the JWT Ed25519 public key does not have 32 bytes");
            }
            return raw;
        } catch (RuntimeException e) {
            if (e instanceof IllegalArgumentException i && i.getMessage() != null && i.getMessage().startsWith("the JWT")) {
                throw i;
            }
            throw new IllegalArgumentException("the JWT Ed25519 public key is neither 32 raw bytes nor a SubjectPublicKeyInfo");
        }
    }

    /** The algorithm tokens must name. */
    public String algorithm() {
        return alg;
    }

    /** Checks {@code token} at {@code nowSeconds} (Unix time); returns its claims. */
    public JsonObject verify(String token, long nowSeconds) throws BadToken {
        if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_CHARS) {
            throw new BadToken(MALFORMED);
        }
        int first = token.indexOf('.');
        int second = first < 0 ? -1 : token.indexOf('.', first + 1);
        if (first <= 0 || second < 0 || token.indexOf('.', second + 1) >= 0) {
            throw new BadToken(MALFORMED);
        }
        JsonObject header = json(token.substring(0, first));
        Object headerAlg = header.getValue("alg");
        if (!(headerAlg instanceof String a) || !a.equals(alg)) {
            throw new BadToken(UNSUPPORTED_ALG);
        }
        if (header.containsKey("crit")) {
            throw new BadToken(MALFORMED); // no extension is understood
        }
        byte[] signed = token.substring(0, second).getBytes(StandardCharsets.US_ASCII);
        byte[] signature = base64url(token.substring(second + 1));
        if (!signatureValid(signed, signature)) {
            throw new BadToken(BAD_SIGNATURE);
        }
        JsonObject claims = json(token.substring(first + 1, second));
        Long exp = numericDate(claims, "exp");
        if (exp == null) {
            throw new BadToken(MALFORMED);
        }
        if (nowSeconds > exp + LEEWAY_SECONDS) {
            throw new BadToken(EXPIRED);
        }
        Long nbf = numericDate(claims, "nbf");
        if (nbf != null && nowSeconds + LEEWAY_SECONDS < nbf) {
            throw new BadToken(NOT_YET_VALID);
        }
        return claims;
    }

    private boolean signatureValid(byte[] signed, byte[] signature) {
        if (hmacKey != null) {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(hmacKey, "HmacSHA256"));
                return MessageDigest.isEqual(mac.doFinal(signed), signature); // constant time
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
            }
        }
        if (signature.length != Ed25519PublicKeyParameters.KEY_SIZE * 2) {
            return false;
        }
        Ed25519Signer verifier = new Ed25519Signer();
        verifier.init(false, edKey);
        verifier.update(signed, 0, signed.length);
        return verifier.verifySignature(signature);
    }

    private static Long numericDate(JsonObject claims, String name) throws BadToken {
        Object v = claims.getValue(name);
        if (v == null) {
            return null;
        }
        if (!(v instanceof Number n)) {
            throw new BadToken(MALFORMED);
        }
        double d = n.doubleValue();
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            throw new BadToken(MALFORMED);
        }
        return (long) Math.floor(d);
    }

    private static byte[] base64url(String part) throws BadToken {
        if (part.indexOf('=') >= 0 || part.indexOf('+') >= 0 || part.indexOf('/') >= 0) {
            throw new BadToken(MALFORMED);
        }
        try {
            return Base64.getUrlDecoder().decode(part);
        } catch (IllegalArgumentException e) {
            throw new BadToken(MALFORMED);
        }
    }

    private static JsonObject json(String part) throws BadToken {
        try {
            return new JsonObject(new String(base64url(part), StandardCharsets.UTF_8));
        } catch (BadToken e) {
            throw e;
        } catch (RuntimeException e) {
            throw new BadToken(MALFORMED);
        }
    }
}
