package org.huisclos.media.dtls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.bouncycastle.tls.AlertDescription;
import org.huisclos.media.srtp.SrtpProfile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DtlsSrtpHandshakeTest {
    private static final DtlsCertificate CLIENT_CERT = DtlsCertificate.generate();
    private static final DtlsCertificate SERVER_CERT = DtlsCertificate.generate();
    private static final DtlsCertificate STRANGER_CERT = DtlsCertificate.generate();
    private static final List<SrtpProfile> BOTH = DtlsSrtpPolicy.DEFAULT_PROFILES;

    private final ExecutorService pool = Executors.newFixedThreadPool(4);
    private final InMemoryLink link = new InMemoryLink();

    @AfterEach
    void tearDown() {
        if (link.client.get() != null) {
            link.client.get().close();
        }
        if (link.server.get() != null) {
            link.server.get().close();
        }
        pool.shutdownNow();
    }

    private void connect(String serverExpects, String clientExpects, List<SrtpProfile> clientOffers) {
        link.server.set(new DtlsSession(SERVER_CERT, serverExpects, link.serverSink(), DtlsRole.SERVER, BOTH,
                DtlsSrtpPolicy.DEFAULT_HANDSHAKE_TIMEOUT_MILLIS));
        link.client.set(new DtlsSession(CLIENT_CERT, clientExpects, link.clientSink(), DtlsRole.CLIENT,
                clientOffers, DtlsSrtpPolicy.DEFAULT_HANDSHAKE_TIMEOUT_MILLIS));
    }

    private static SrtpKeys await(CompletableFuture<SrtpKeys> f) throws Exception {
        return f.get(15, TimeUnit.SECONDS);
    }

    private static DtlsHandshakeException awaitFailure(CompletableFuture<SrtpKeys> f) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(15, TimeUnit.SECONDS));
        return assertInstanceOf(DtlsHandshakeException.class, e.getCause());
    }

    private static void assertMirrored(SrtpKeys client, SrtpKeys server) {
        assertEquals(client.profile(), server.profile());
        assertArrayEquals(client.localKey(), server.remoteKey());
        assertArrayEquals(client.localSalt(), server.remoteSalt());
        assertArrayEquals(server.localKey(), client.remoteKey());
        assertArrayEquals(server.localSalt(), client.remoteSalt());
        assertFalse(Arrays.equals(client.localKey(), client.remoteKey()));
    }

    @Test
    void handshakeNegotiatesGcmAndMirroredKeys() throws Exception {
        connect(CLIENT_CERT.fingerprint(), SERVER_CERT.fingerprint(), BOTH);
        CompletableFuture<SrtpKeys> server = link.server.get().start(pool);
        CompletableFuture<SrtpKeys> client = link.client.get().start(pool);

        SrtpKeys c = await(client);
        SrtpKeys s = await(server);
        assertEquals(SrtpProfile.AEAD_AES_128_GCM, c.profile());
        assertMirrored(c, s);
        assertEquals(16, c.localKey().length);
        assertEquals(12, c.localSalt().length);
        assertEquals(16, s.localKey().length);
        assertEquals(12, s.localSalt().length);
    }

    @Test
    void clientOfferingOnlyAesCmGetsAesCm() throws Exception {
        connect(CLIENT_CERT.fingerprint(), SERVER_CERT.fingerprint(), List.of(SrtpProfile.AES_CM_128_HMAC_SHA1_80));
        CompletableFuture<SrtpKeys> server = link.server.get().start(pool);
        CompletableFuture<SrtpKeys> client = link.client.get().start(pool);

        SrtpKeys c = await(client);
        SrtpKeys s = await(server);
        assertEquals(SrtpProfile.AES_CM_128_HMAC_SHA1_80, c.profile());
        assertMirrored(c, s);
        assertEquals(16, c.localKey().length);
        assertEquals(14, c.localSalt().length);
    }

    @Test
    void serverRejectsClientCertificateWithWrongFingerprint() {
        connect(STRANGER_CERT.fingerprint(), SERVER_CERT.fingerprint(), BOTH);
        CompletableFuture<SrtpKeys> server = link.server.get().start(pool);
        CompletableFuture<SrtpKeys> client = link.client.get().start(pool);

        DtlsHandshakeException s = awaitFailure(server);
        assertEquals(AlertDescription.bad_certificate, s.alertDescription());
        assertTrue(s.getMessage().contains("fingerprint"), s.getMessage());
        assertEquals(DtlsRole.SERVER, s.role());
        awaitFailure(client);
    }

    @Test
    void clientRejectsServerCertificateWithWrongFingerprint() {
        connect(CLIENT_CERT.fingerprint(), STRANGER_CERT.fingerprint(), BOTH);
        CompletableFuture<SrtpKeys> server = link.server.get().start(pool);
        CompletableFuture<SrtpKeys> client = link.client.get().start(pool);

        DtlsHandshakeException c = awaitFailure(client);
        assertEquals(AlertDescription.bad_certificate, c.alertDescription());
        assertTrue(c.getMessage().contains("fingerprint"), c.getMessage());
        awaitFailure(server);
    }

    @Test
    void lostFirstServerFlightIsRetransmitted() throws Exception {
        connect(CLIENT_CERT.fingerprint(), SERVER_CERT.fingerprint(), BOTH);
        // Lose everything the server sends until the client has retransmitted its ClientHello.
        link.dropFromServerWhile(d -> link.clientDatagrams.get() < 2);
        CompletableFuture<SrtpKeys> server = link.server.get().start(pool);
        CompletableFuture<SrtpKeys> client = link.client.get().start(pool);

        SrtpKeys c = await(client);
        SrtpKeys s = await(server);
        assertTrue(link.droppedFromServer.get() > 0, "the first server flight should have been dropped");
        assertMirrored(c, s);
    }

    @Test
    void lostFinalServerFlightIsResentAfterServerCompleted() throws Exception {
        connect(CLIENT_CERT.fingerprint(), SERVER_CERT.fingerprint(), BOTH);
        // Lose the server's first ChangeCipherSpec + Finished: the server is already done, so only the
        // post-handshake drain can answer the client's retransmitted flight.
        AtomicInteger ccs = new AtomicInteger();
        link.dropFromServerWhile(d -> {
            boolean changeCipherSpec = d[0] == 20;
            int seen = changeCipherSpec ? ccs.incrementAndGet() : ccs.get();
            boolean epoch1 = d[3] == 0 && d[4] == 1;
            return seen == 1 && (changeCipherSpec || epoch1);
        });
        CompletableFuture<SrtpKeys> server = link.server.get().start(pool);
        CompletableFuture<SrtpKeys> client = link.client.get().start(pool);

        SrtpKeys s = await(server);
        SrtpKeys c = await(client);
        assertTrue(link.droppedFromServer.get() > 0, "the final server flight should have been dropped");
        assertMirrored(c, s);
    }

    @Test
    void serverWithoutPeerTimesOut() {
        DtlsSession lonely = new DtlsSession(SERVER_CERT, CLIENT_CERT.fingerprint(), (b, o, l) -> { },
                DtlsRole.SERVER, BOTH, 1_500);
        link.server.set(lonely);
        long t0 = System.nanoTime();
        awaitFailure(lonely.start(pool));
        assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0) < 5_000);
    }

    @Test
    void closeAbortsAPendingHandshake() {
        DtlsSession client = new DtlsSession(CLIENT_CERT, SERVER_CERT.fingerprint(), (b, o, l) -> { },
                DtlsRole.CLIENT);
        link.client.set(client);
        CompletableFuture<SrtpKeys> f = client.start(pool);
        client.close();
        assertTrue(awaitFailure(f).getMessage().contains("closed"));
    }

    @Test
    void closeAfterHandshakeSendsCloseNotifyToPeer() throws Exception {
        connect(CLIENT_CERT.fingerprint(), SERVER_CERT.fingerprint(), BOTH);
        CompletableFuture<SrtpKeys> server = link.server.get().start(pool);
        await(link.client.get().start(pool));
        await(server);

        link.client.get().close();
        long deadline = System.currentTimeMillis() + 5_000;
        while (!link.server.get().isClosed() && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
        }
        assertTrue(link.server.get().isClosed(), "server should see close_notify");
    }

    @Test
    void rejectsMalformedOrMissingFingerprint() {
        assertThrows(NullPointerException.class,
                () -> new DtlsSession(SERVER_CERT, null, (b, o, l) -> { }, DtlsRole.SERVER));
        assertThrows(IllegalArgumentException.class,
                () -> new DtlsSession(SERVER_CERT, "AB:CD", (b, o, l) -> { }, DtlsRole.SERVER));
    }
}
