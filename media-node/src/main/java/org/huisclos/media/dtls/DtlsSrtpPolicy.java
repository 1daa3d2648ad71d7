package org.huisclos.media.dtls;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Vector;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.ExporterLabel;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.TlsContext;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.UseSRTPData;
import org.bouncycastle.tls.crypto.TlsCrypto;
import org.huisclos.media.srtp.SrtpProfile;

/**
 * The rules both TLS peers (server and client role) apply, kept in one place so the two BC subclasses only
 * wire them in: versions, cipher suites, peer fingerprint check, use_srtp negotiation and key export.
 * One instance per handshake; it also carries the handshake's outcome.
 */
final class DtlsSrtpPolicy {
    static final int DEFAULT_HANDSHAKE_TIMEOUT_MILLIS = 10_000;
    static final List<SrtpProfile> DEFAULT_PROFILES =
            List.of(SrtpProfile.AEAD_AES_128_GCM, SrtpProfile.AES_CM_128_HMAC_SHA1_80);

    /** ECDHE_ECDSA only: our certificate is ECDSA and browsers all offer these. GCM first. */
    private static final int[] CIPHER_SUITES = {
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,
    };

    private final DtlsCertificate local;
    private final String expectedFingerprint;
    private final List<SrtpProfile> profiles;
    private final int handshakeTimeoutMillis;
    private volatile SrtpProfile negotiated;
    private volatile SrtpKeys keys;

    DtlsSrtpPolicy(DtlsCertificate local, String expectedFingerprint, List<SrtpProfile> profiles,
            int handshakeTimeoutMillis) {
        this.local = Objects.requireNonNull(local, "local certificate");
        this.expectedFingerprint = Objects.requireNonNull(expectedFingerprint, "remote fingerprint");
        Fingerprints.parse(expectedFingerprint); // fail at construction, not mid-handshake
        if (profiles.isEmpty()) {
            throw new IllegalArgumentException("at least one SRTP profile is required");
        }
        this.profiles = List.copyOf(profiles);
        this.handshakeTimeoutMillis = handshakeTimeoutMillis;
    }

    DtlsCertificate local() {
        return local;
    }

    int handshakeTimeoutMillis() {
        return handshakeTimeoutMillis;
    }

    ProtocolVersion[] versions() {
        return ProtocolVersion.DTLSv12.only();
    }

    int[] cipherSuites(TlsCrypto crypto) {
        return TlsUtils.getSupportedCipherSuites(crypto, CIPHER_SUITES);
    }

    /** Signature algorithms we accept and ask for in a CertificateRequest. */
    Vector<?> signatureAlgorithms() {
        return TlsUtils.vectorOfOne(DtlsCertificate.ECDSA_SHA256);
    }

    /**
     * The peer must present a certificate whose SHA-256 matches the fingerprint from its SDP: that binding
     * is the only authentication WebRTC has (RFC 8122 §5, RFC 5763 §5).
     */
    void verifyPeer(Certificate peer) throws TlsFatalAlert {
        if (peer == null || peer.isEmpty()) {
            throw new TlsFatalAlert(AlertDescription.bad_certificate, "peer sent no certificate");
        }
        byte[] der;
        try {
            der = peer.getCertificateAt(0).getEncoded();
        } catch (IOException e) {
            throw new TlsFatalAlert(AlertDescription.bad_certificate, "peer certificate unreadable", e);
        }
        if (!Fingerprints.matches(expectedFingerprint, der)) {
            throw new TlsFatalAlert(AlertDescription.bad_certificate,
                    "peer certificate does not match the SDP fingerprint");
        }
    }

    /** What the client offers in use_srtp, in preference order, with no MKI. */
    UseSRTPData offer() {
        int[] ids = profiles.stream().mapToInt(p -> p.dtlsId).toArray();
        return new UseSRTPData(ids, TlsUtils.EMPTY_BYTES);
    }

    /** Server side: our most preferred profile that the client offered (RFC 5764 §4.1.1). */
    SrtpProfile selectFrom(UseSRTPData clientOffer) throws TlsFatalAlert {
        if (clientOffer == null) {
            throw new TlsFatalAlert(AlertDescription.handshake_failure, "client did not offer use_srtp");
        }
        for (SrtpProfile p : profiles) {
            for (int id : clientOffer.getProtectionProfiles()) {
                if (id == p.dtlsId) {
                    negotiated = p;
                    return p;
                }
            }
        }
        throw new TlsFatalAlert(AlertDescription.handshake_failure, "no common SRTP protection profile");
    }

    /** Client side: the server must pick exactly one of the profiles we offered (RFC 5764 §4.1.2). */
    void acceptServerChoice(UseSRTPData serverChoice) throws TlsFatalAlert {
        if (serverChoice == null) {
            throw new TlsFatalAlert(AlertDescription.handshake_failure, "server did not select use_srtp");
        }
        int[] ids = serverChoice.getProtectionProfiles();
        if (ids == null || ids.length != 1) {
            throw new TlsFatalAlert(AlertDescription.illegal_parameter, "server must select one SRTP profile");
        }
        negotiated = profiles.stream().filter(p -> p.dtlsId == ids[0]).findFirst()
                .orElseThrow(() -> new TlsFatalAlert(AlertDescription.illegal_parameter,
                        "server selected an SRTP profile we did not offer"));
    }

    /** Runs the RFC 5764 §4.2 exporter; must be called once the handshake has completed, on the BC thread. */
    void exportKeys(TlsContext context, DtlsRole role) throws TlsFatalAlert {
        SrtpProfile profile = negotiated;
        if (profile == null) {
            throw new TlsFatalAlert(AlertDescription.internal_error, "no SRTP profile negotiated");
        }
        byte[] material = context.exportKeyingMaterial(ExporterLabel.dtls_srtp, null,
                SrtpKeys.keyingMaterialLength(profile));
        keys = SrtpKeys.fromKeyingMaterial(profile, material, role);
        Arrays.fill(material, (byte) 0);
    }

    SrtpKeys keys() {
        return keys;
    }
}
