package org.huisclos.media.dtls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Date;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class DtlsCertificateTest {
    private static final DtlsCertificate CERT = DtlsCertificate.generate();

    @Test
    void fingerprintIs32UppercaseHexPairsJoinedByColons() {
        String fp = CERT.fingerprint();
        assertTrue(fp.matches("([0-9A-F]{2}:){31}[0-9A-F]{2}"), fp);
        assertEquals(32, fp.split(":").length);
    }

    @Test
    void fingerprintIsDeterministicForTheSameCertificate() {
        assertEquals(CERT.fingerprint(), Fingerprints.sha256(CERT.der()));
        assertEquals(Fingerprints.sha256(CERT.der()), Fingerprints.sha256(CERT.der()));
    }

    @Test
    void twoCertificatesHaveDifferentFingerprints() {
        assertNotEquals(CERT.fingerprint(), DtlsCertificate.generate().fingerprint());
    }

    @Test
    void matchesIsCaseInsensitiveAndRejectsOtherValues() {
        byte[] der = CERT.der();
        assertTrue(Fingerprints.matches(CERT.fingerprint(), der));
        assertTrue(Fingerprints.matches(CERT.fingerprint().toLowerCase(Locale.ROOT), der));
        assertTrue(Fingerprints.matches(" " + CERT.fingerprint() + " ", der));
        assertFalse(Fingerprints.matches(DtlsCertificate.generate().fingerprint(), der));
        assertFalse(Fingerprints.matches(CERT.fingerprint().replace(':', '-'), der));
        assertFalse(Fingerprints.matches(CERT.fingerprint().substring(3), der));
        assertFalse(Fingerprints.matches("", der));
        assertFalse(Fingerprints.matches(null, der));
    }

    @Test
    void parseRejectsMalformedFingerprints() {
        assertThrows(IllegalArgumentException.class, () -> Fingerprints.parse("AB:CD"));
        assertEquals(32, Fingerprints.parse(CERT.fingerprint()).length);
    }

    @Test
    void certificateIsSelfSignedEcdsaP256ValidNow() throws Exception {
        X509Certificate x509 = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(CERT.der()));
        assertEquals("SHA256withECDSA", x509.getSigAlgName());
        assertEquals("EC", x509.getPublicKey().getAlgorithm());
        assertTrue(x509.getSubjectX500Principal().getName().contains("CN=huisclos"));
        assertTrue(x509.getSerialNumber().signum() > 0);
        x509.checkValidity(new Date());
        x509.verify(x509.getPublicKey());
        assertEquals(1, CERT.tlsCertificate().getLength());
    }
}
