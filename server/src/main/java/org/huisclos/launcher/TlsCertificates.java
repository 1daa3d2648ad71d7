package org.huisclos.launcher;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.PemKeyCertOptions;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;

/**
 * The HTTPS certificate of the signaling role (HUISCLOS_TLS, HUISCLOS_TLS_CERT, HUISCLOS_TLS_KEY;
 * docs/configuration.md): read from PEM files and checked before anything starts, or made up at
 * start (self-signed ECDSA P-256, kept in memory only). Either way Vert.x gets the certificate
 * chain and a PKCS#8 key as in-memory PEM, whatever format the key file had.
 */
public final class TlsCertificates {
    /** How long a self-signed certificate is valid: it is made again at every start anyway. */
    static final Duration SELF_SIGNED_VALIDITY = Duration.ofDays(397);

    /** What the HTTP server serves; {@code fingerprint} is the SHA-256 of the leaf certificate, hex with colons. */
    public record Loaded(PemKeyCertOptions options, String fingerprint, boolean selfSigned, Instant notAfter) {
    }

    private TlsCertificates() {
    }

    /** The certificate {@code s} asks for, or null for plain HTTP. Problems are {@link Settings.Invalid}. */
    public static Loaded load(Settings s) {
        return switch (s.tls()) {
            case OFF -> null;
            case SELF_SIGNED -> selfSigned(s.publicIp());
            case FILES -> fromFiles(Path.of(s.tlsCert()), Path.of(s.tlsKey()));
        };
    }

    /** Reads and checks a PEM certificate chain and its private key. */
    public static Loaded fromFiles(Path certFile, Path keyFile) {
        String certText = read("HUISCLOS_TLS_CERT", certFile, "the PEM certificate (chain) of this server");
        String keyText = read("HUISCLOS_TLS_KEY", keyFile, "the PEM private key of that certificate");
        List<X509CertificateHolder> chain = new ArrayList<>();
        try (PEMParser parser = new PEMParser(new StringReader(certText))) {
            for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
                if (o instanceof X509CertificateHolder c) {
                    chain.add(c);
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new Settings.Invalid("HUISCLOS_TLS_CERT: " + certFile + " is not a readable PEM file (" + e.getMessage() + ")");
        }
        if (chain.isEmpty()) {
            throw new Settings.Invalid("HUISCLOS_TLS_CERT: " + certFile + " holds no certificate: it must contain "
                    + "-----BEGIN CERTIFICATE----- (the server's certificate first, then its intermediates)");
        }
        PrivateKeyInfo keyInfo = null;
        try (PEMParser parser = new PEMParser(new StringReader(keyText))) {
            for (Object o = parser.readObject(); o != null && keyInfo == null; o = parser.readObject()) {
                if (o instanceof PEMKeyPair pair) {
                    keyInfo = pair.getPrivateKeyInfo();       // BEGIN EC PRIVATE KEY / BEGIN RSA PRIVATE KEY
                } else if (o instanceof PrivateKeyInfo info) {
                    keyInfo = info;                           // BEGIN PRIVATE KEY (PKCS#8)
                } else if (o instanceof PKCS8EncryptedPrivateKeyInfo || o.getClass().getSimpleName().contains("Encrypted")) {
                    throw new Settings.Invalid("HUISCLOS_TLS_KEY: " + keyFile + " is encrypted with a passphrase; "
                            + "give an unencrypted key (for example: openssl pkey -in key.pem -out plain-key.pem) and keep it readable by this user only");
                }
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof Settings.Invalid invalid) {
                throw invalid;
            }
            throw new Settings.Invalid("HUISCLOS_TLS_KEY: " + keyFile + " is not a readable PEM file (" + e.getMessage() + ")");
        }
        if (keyInfo == null) {
            throw new Settings.Invalid("HUISCLOS_TLS_KEY: " + keyFile + " holds no private key: it must contain "
                    + "-----BEGIN PRIVATE KEY----- (or BEGIN EC/RSA PRIVATE KEY)");
        }
        X509CertificateHolder leaf = chain.get(0);
        var certAlgorithm = leaf.getSubjectPublicKeyInfo().getAlgorithm();
        if (keyInfo.getPrivateKeyAlgorithm().getAlgorithm().equals(X9ObjectIdentifiers.id_ecPublicKey)
                && keyInfo.getPrivateKeyAlgorithm().getParameters() == null
                && certAlgorithm.getAlgorithm().equals(X9ObjectIdentifiers.id_ecPublicKey)) {
            // An EC key written without its curve (SEC 1 allows it): the certificate names the curve.
            try {
                keyInfo = new PrivateKeyInfo(certAlgorithm, keyInfo.parsePrivateKey());
            } catch (IOException e) {
                throw new Settings.Invalid("HUISCLOS_TLS_KEY: the EC key in " + keyFile + " cannot be read (" + e.getMessage() + ")");
            }
        }
        try {
            PrivateKey key = new JcaPEMKeyConverter().getPrivateKey(keyInfo);
            PublicKey certKey = new JcaPEMKeyConverter().getPublicKey(leaf.getSubjectPublicKeyInfo());
            if (!matches(key, certKey)) {
                throw new Settings.Invalid("HUISCLOS_TLS_KEY: the key in " + keyFile + " does not belong to the certificate in "
                        + certFile + " (the first certificate of HUISCLOS_TLS_CERT must be the server's own)");
            }
        } catch (IOException | GeneralSecurityException e) {
            throw new Settings.Invalid("HUISCLOS_TLS_KEY: the key in " + keyFile + " cannot be used (" + e.getMessage() + ")");
        }
        Instant notAfter = leaf.getNotAfter().toInstant();
        if (notAfter.isBefore(Instant.now())) {
            System.getLogger(TlsCertificates.class.getName()).log(System.Logger.Level.WARNING,
                    "the TLS certificate in " + certFile + " expired on " + notAfter + ": browsers will refuse it; renew it");
        }
        try {
            StringBuilder certs = new StringBuilder();
            for (X509CertificateHolder c : chain) {
                certs.append(pem("CERTIFICATE", c.getEncoded()));
            }
            return new Loaded(new PemKeyCertOptions()
                    .setCertValue(Buffer.buffer(certs.toString()))
                    .setKeyValue(Buffer.buffer(pem("PRIVATE KEY", keyInfo.getEncoded()))),
                    fingerprint(leaf.getEncoded()), false, notAfter);
        } catch (IOException e) {
            throw new Settings.Invalid("HUISCLOS_TLS_CERT: could not re-encode the certificate (" + e.getMessage() + ")");
        }
    }

    /**
     * A self-signed ECDSA P-256 certificate for {@code publicIp}, 127.0.0.1, ::1 and localhost,
     * made now and kept in memory only.
     */
    public static Loaded selfSigned(String publicIp) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
            KeyPair pair = generator.generateKeyPair();
            Instant now = Instant.now();
            Instant notAfter = now.plus(SELF_SIGNED_VALIDITY);
            X500Name name = new X500Name("CN=Huisclos self-signed " + publicIp);
            List<GeneralName> sans = new ArrayList<>(List.of(
                    new GeneralName(GeneralName.dNSName, "localhost"),
                    new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                    new GeneralName(GeneralName.iPAddress, "::1")));
            if (!publicIp.equals("127.0.0.1") && !publicIp.equals("::1")) {
                sans.add(0, new GeneralName(GeneralName.iPAddress, publicIp));
            }
            X509CertificateHolder cert = new JcaX509v3CertificateBuilder(name, new BigInteger(127, new SecureRandom()),
                    Date.from(now.minus(Duration.ofHours(1))), Date.from(notAfter), name, pair.getPublic())
                    .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans.toArray(GeneralName[]::new)))
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                    .build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate()));
            return new Loaded(new PemKeyCertOptions()
                    .setCertValue(Buffer.buffer(pem("CERTIFICATE", cert.getEncoded())))
                    .setKeyValue(Buffer.buffer(pem("PRIVATE KEY", pair.getPrivate().getEncoded()))),
                    fingerprint(cert.getEncoded()), true, notAfter);
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new IllegalStateException("could not make a self-signed certificate: " + e.getMessage(), e);
        }
    }

    private static String read(String variable, Path file, String what) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            throw new Settings.Invalid(variable + ": " + file + " does not exist; it must name " + what
                    + " (an absolute path is safest)");
        } catch (IOException | RuntimeException e) {
            throw new Settings.Invalid(variable + ": " + file + " cannot be read (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + "); it must be a file readable by this user, "
                    + "holding " + what);
        }
    }

    /** Whether {@code key} signs what {@code publicKey} verifies. */
    private static boolean matches(PrivateKey key, PublicKey publicKey) throws GeneralSecurityException {
        String algorithm = switch (key.getAlgorithm()) {
            case "EC", "ECDSA" -> "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> throw new GeneralSecurityException("unsupported key type " + key.getAlgorithm()
                    + " (use an ECDSA or RSA key)");
        };
        if (!key.getAlgorithm().replace("ECDSA", "EC").equals(publicKey.getAlgorithm().replace("ECDSA", "EC"))) {
            return false;
        }
        byte[] challenge = new byte[32];
        new SecureRandom().nextBytes(challenge);
        Signature signer = Signature.getInstance(algorithm);
        signer.initSign(key);
        signer.update(challenge);
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance(algorithm);
        verifier.initVerify(publicKey);
        verifier.update(challenge);
        return verifier.verify(signature);
    }

    static String pem(String type, byte[] der) throws IOException {
        StringWriter out = new StringWriter();
        try (PemWriter writer = new PemWriter(out)) {
            writer.writeObject(new PemObject(type, der));
        }
        return out.toString();
    }

    static String fingerprint(byte[] der) {
        try {
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(MessageDigest.getInstance("SHA-256").digest(der));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
