package org.huisclos.media.dtls;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.generators.ECKeyPairGenerator;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.ECKeyGenerationParameters;
import org.bouncycastle.crypto.params.ECNamedDomainParameters;
import org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.DefaultDigestAlgorithmIdentifierFinder;
import org.bouncycastle.operator.DefaultSignatureAlgorithmIdentifierFinder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.bc.BcECContentSignerBuilder;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.HashAlgorithm;
import org.bouncycastle.tls.SignatureAlgorithm;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsContext;
import org.bouncycastle.tls.TlsCredentialedSigner;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.bc.BcDefaultTlsCredentialedSigner;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

/**
 * The node's self-signed ECDSA P-256 certificate for DTLS-SRTP. WebRTC trusts it only through the fingerprint
 * carried in signalling (RFC 8122), so a short-lived self-signed certificate generated at startup is enough.
 * Immutable and shared by all sessions.
 */
public final class DtlsCertificate {
    static final SignatureAndHashAlgorithm ECDSA_SHA256 =
            SignatureAndHashAlgorithm.getInstance(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa);

    private static final String COMMON_NAME = "CN=huisclos";
    private static final Duration VALIDITY = Duration.ofDays(30);

    private final BcTlsCrypto crypto;
    private final AsymmetricKeyParameter privateKey;
    private final Certificate chain;
    private final byte[] der;
    private final String fingerprint;

    private DtlsCertificate(BcTlsCrypto crypto, AsymmetricKeyParameter privateKey, byte[] der) throws IOException {
        this.crypto = crypto;
        this.privateKey = privateKey;
        this.der = der;
        this.chain = new Certificate(new TlsCertificate[] {crypto.createCertificate(der)});
        this.fingerprint = Fingerprints.sha256(der);
    }

    /** Generates a fresh key pair and certificate, valid from yesterday (clock skew) for 30 days. */
    public static DtlsCertificate generate() {
        return generate(new SecureRandom());
    }

    static DtlsCertificate generate(SecureRandom random) {
        try {
            X9ECParameters p256 = ECNamedCurveTable.getByOID(SECObjectIdentifiers.secp256r1);
            ECKeyPairGenerator generator = new ECKeyPairGenerator();
            generator.init(new ECKeyGenerationParameters(
                    new ECNamedDomainParameters(SECObjectIdentifiers.secp256r1, p256), random));
            AsymmetricCipherKeyPair keyPair = generator.generateKeyPair();

            Instant notBefore = Instant.now().minus(Duration.ofDays(1));
            X500Name name = new X500Name(COMMON_NAME);
            X509v3CertificateBuilder builder = new X509v3CertificateBuilder(name, serial(random),
                    Date.from(notBefore), Date.from(notBefore.plus(VALIDITY)), name,
                    SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(keyPair.getPublic()));

            AlgorithmIdentifier sigAlg = new DefaultSignatureAlgorithmIdentifierFinder().find("SHA256withECDSA");
            AlgorithmIdentifier digAlg = new DefaultDigestAlgorithmIdentifierFinder().find(sigAlg);
            ContentSigner signer = new BcECContentSignerBuilder(sigAlg, digAlg).build(keyPair.getPrivate());
            byte[] der = builder.build(signer).getEncoded();
            return new DtlsCertificate(new BcTlsCrypto(random), keyPair.getPrivate(), der);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode DTLS certificate", e);
        } catch (OperatorCreationException e) {
            throw new IllegalStateException("cannot sign DTLS certificate", e);
        }
    }

    /** A positive, non-zero 64-bit serial (RFC 5280 §4.1.2.2 wants positive; random avoids collisions). */
    private static BigInteger serial(SecureRandom random) {
        BigInteger serial;
        do {
            serial = new BigInteger(64, random);
        } while (serial.signum() == 0);
        return serial;
    }

    /** The SDP {@code a=fingerprint:sha-256} value of this certificate. */
    public String fingerprint() {
        return fingerprint;
    }

    /** The DER encoding of the certificate. */
    public byte[] der() {
        return der.clone();
    }

    /** The crypto provider the TLS peers use; shared because it only holds a thread-safe SecureRandom. */
    public BcTlsCrypto crypto() {
        return crypto;
    }

    /** The one-element chain sent in the Certificate handshake message. */
    public Certificate tlsCertificate() {
        return chain;
    }

    /** Credentials that sign ServerKeyExchange / CertificateVerify with ecdsa_sha256 in {@code context}. */
    public TlsCredentialedSigner signerFor(TlsContext context) {
        return new BcDefaultTlsCredentialedSigner(new TlsCryptoParameters(context), crypto, privateKey, chain,
                ECDSA_SHA256);
    }
}
