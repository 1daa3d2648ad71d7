package org.huisclos.launcher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTPS served by the signaling role itself: a self-signed certificate made at start, or the
 * admin's PEM files; a bad path stops start-up with a message that says what to fix.
 */
class TlsTest {
    @TempDir
    Path dir;

    private static Map<String, String> env(int clusterPort, Map<String, String> tls) {
        Map<String, String> env = new HashMap<>(Map.of(
                "HUISCLOS_ROLE", "signaling",
                "HUISCLOS_HTTP_PORT", "0",
                "HUISCLOS_HTTP_BIND", "127.0.0.1",
                "HUISCLOS_PUBLIC_IP", "127.0.0.1",
                "HUISCLOS_CLUSTER_PORT", String.valueOf(clusterPort),
                "HUISCLOS_CLUSTER_NAME", "tls-test-" + clusterPort + "-" + ProcessHandle.current().pid()));
        env.putAll(tls);
        return env;
    }

    /** GET /health over HTTPS with a client that trusts any certificate but checks the host name; returns the served chain. */
    private static X509Certificate[] getHealth(int port) throws Exception {
        AtomicReference<X509Certificate[]> served = new AtomicReference<>();
        TrustManager trusting = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
                served.set(chain);
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, new TrustManager[] {trusting}, new SecureRandom());
        HttpClient client = HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(20)).build();
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/health"))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        assertTrue(response.body().contains("\"up\""), response.body());
        return served.get();
    }

    @Test
    void selfSignedCertificateServesHttps() throws Exception {
        try (Huisclos h = Huisclos.start(Settings.fromEnvironment(env(15991, Map.of("HUISCLOS_TLS", "self-signed"))))) {
            X509Certificate[] chain = getHealth(h.httpPort());
            X509Certificate leaf = chain[0];
            assertEquals("EC", leaf.getPublicKey().getAlgorithm());
            Collection<List<?>> sans = leaf.getSubjectAlternativeNames();
            assertTrue(sans.stream().anyMatch(san -> "127.0.0.1".equals(san.get(1))), "SANs: " + sans);
            assertTrue(sans.stream().anyMatch(san -> "localhost".equals(san.get(1))), "SANs: " + sans);
            assertTrue(h.tls().selfSigned());
            assertEquals(TlsCertificates.fingerprint(leaf.getEncoded()), h.tls().fingerprint());
            System.out.println("[tls] self-signed ECDSA certificate served, fingerprint " + h.tls().fingerprint());
        }
    }

    @Test
    void selfSignedCertificateNamesThePublicIp() throws Exception {
        X509CertificateHolder cert = new X509CertificateHolder(java.util.Base64.getMimeDecoder().decode(
                TlsCertificates.selfSigned("203.0.113.10").options().getCertValue().toString()
                        .replaceAll("-----[A-Z ]+-----", "")));
        GeneralNames sans = GeneralNames.fromExtensions(cert.getExtensions(), Extension.subjectAlternativeName);
        assertTrue(List.of(sans.getNames()).contains(new GeneralName(GeneralName.iPAddress, "203.0.113.10")), sans.toString());
    }

    @Test
    void givenPemFilesServeHttps() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair pair = generator.generateKeyPair();
        X500Name name = new X500Name("CN=huisclos.test");
        X509CertificateHolder cert = new JcaX509v3CertificateBuilder(name, BigInteger.TEN,
                Date.from(Instant.now().minusSeconds(3600)), Date.from(Instant.now().plus(Duration.ofDays(30))), name,
                pair.getPublic())
                .addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(new GeneralName(GeneralName.iPAddress, "127.0.0.1")))
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate()));
        Path certFile = Files.writeString(dir.resolve("cert.pem"), pem(cert));
        // The traditional "BEGIN EC PRIVATE KEY" form, as openssl ecparam -genkey writes it.
        Path keyFile = Files.writeString(dir.resolve("key.pem"), pem(pair));
        assertTrue(Files.readString(keyFile).contains("BEGIN EC PRIVATE KEY"));
        try (Huisclos h = Huisclos.start(Settings.fromEnvironment(env(15993, Map.of(
                "HUISCLOS_TLS_CERT", certFile.toString(), "HUISCLOS_TLS_KEY", keyFile.toString()))))) {
            X509Certificate[] chain = getHealth(h.httpPort());
            assertArrayEquals(cert.getEncoded(), chain[0].getEncoded(), "the served certificate is the given one");
            assertTrue(!h.tls().selfSigned());
        }
    }

    @Test
    void missingOrWrongFilesStopStartUpWithWhatToFix() throws Exception {
        Path missing = dir.resolve("nowhere/cert.pem");
        Path key = Files.writeString(dir.resolve("key.pem"), pem(TlsCertificates.selfSigned("127.0.0.1")));
        Settings.Invalid e = assertThrows(Settings.Invalid.class, () -> Huisclos.start(Settings.fromEnvironment(env(15995, Map.of(
                "HUISCLOS_TLS_CERT", missing.toString(), "HUISCLOS_TLS_KEY", key.toString())))));
        assertTrue(e.getMessage().contains("HUISCLOS_TLS_CERT") && e.getMessage().contains(missing.toString())
                && e.getMessage().contains("does not exist"), e.getMessage());
        System.out.println("[tls] missing file: " + e.getMessage());

        // A certificate with the key of another one.
        Path otherCert = Files.writeString(dir.resolve("other.pem"),
                TlsCertificates.selfSigned("127.0.0.1").options().getCertValue().toString());
        Settings.Invalid mismatch = assertThrows(Settings.Invalid.class, () -> TlsCertificates.fromFiles(otherCert, key));
        assertTrue(mismatch.getMessage().contains("does not belong"), mismatch.getMessage());

        // The key file given as the certificate.
        Settings.Invalid swapped = assertThrows(Settings.Invalid.class, () -> TlsCertificates.fromFiles(key, key));
        assertTrue(swapped.getMessage().contains("holds no certificate"), swapped.getMessage());

        Settings.Invalid half = assertThrows(Settings.Invalid.class, () -> Settings.fromEnvironment(
                Map.of("HUISCLOS_TLS_CERT", otherCert.toString())));
        assertTrue(half.getMessage().contains("go together"), half.getMessage());
        Settings.Invalid mode = assertThrows(Settings.Invalid.class, () -> Settings.fromEnvironment(Map.of("HUISCLOS_TLS", "yes")));
        assertTrue(mode.getMessage().contains("HUISCLOS_TLS must be"), mode.getMessage());
        assertEquals(Settings.Tls.OFF, Settings.fromEnvironment(Map.of()).tls());
        assertNull(TlsCertificates.load(Settings.fromEnvironment(Map.of())));
    }

    private static String pem(Object o) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(o);
        }
        return out.toString();
    }

    private static String pem(TlsCertificates.Loaded loaded) {
        return loaded.options().getKeyValue().toString();
    }
}
