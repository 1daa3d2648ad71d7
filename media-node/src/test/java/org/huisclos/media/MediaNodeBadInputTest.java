package org.huisclos.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.huisclos.media.peer.Await;
import org.huisclos.media.peer.MediaPump;
import org.huisclos.media.peer.StunRequests;
import org.huisclos.media.peer.TestPeer;
import org.huisclos.media.transport.DropReason;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Bad input on the media port (random datagrams, truncated STUN, STUN with a wrong password, DTLS
 * and RTP from unknown addresses, RTP before DTLS, SRTP with a bad tag, a replayed packet) is
 * dropped and counted per reason, and a meeting in progress goes on undisturbed.
 */
class MediaNodeBadInputTest {
    static final String NODE = "bad-input-node";
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    static final long SEED = 0x5eed_cafeL;

    static Vertx vertx;
    MediaNode node;
    String deployment;
    final List<TestPeer> peers = new ArrayList<>();
    DatagramChannel raw;
    InetSocketAddress port;

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void closeVertx() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @BeforeEach
    void deploy() throws Exception {
        node = new MediaNode(new MediaNodeConfig(NODE, "127.0.0.1", 0, "127.0.0.1", 50, 1_000_000));
        deployment = vertx.deployVerticle(node).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        port = new InetSocketAddress("127.0.0.1", node.udpPort());
        raw = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        raw.configureBlocking(false);
    }

    @AfterEach
    void undeploy() throws Exception {
        raw.close();
        try {
            for (TestPeer p : peers) {
                p.close();
            }
        } finally {
            vertx.undeploy(deployment).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    TestPeer peer(String room, String id) throws Exception {
        TestPeer p = new TestPeer(vertx, NODE, room, id);
        peers.add(p);
        return p;
    }

    static long packetsFrom(TestPeer receiver, TestPeer sender) {
        return receiver.received().packets(sender.audioSsrc) + receiver.received().packets(sender.videoSsrc);
    }

    Map<DropReason, Long> snapshot() {
        Map<DropReason, Long> m = new EnumMap<>(DropReason.class);
        for (DropReason r : DropReason.values()) {
            m.put(r, node.drops().count(r));
        }
        return m;
    }

    /** Waits until every reason rose by at least its expected amount, then checks it rose by exactly that. */
    void assertDropsRose(Map<DropReason, Long> before, Map<DropReason, Long> expected) {
        Await.until(TIMEOUT, () -> expected.entrySet().stream()
                        .allMatch(e -> node.drops().count(e.getKey()) - before.get(e.getKey()) >= e.getValue()),
                () -> "drops to rise by " + expected + ", rose by " + delta(before));
        assertEquals(expected, delta(before), "drop counters rose by");
    }

    static Map<DropReason, Long> zero() {
        Map<DropReason, Long> m = new EnumMap<>(DropReason.class);
        for (DropReason r : DropReason.values()) {
            m.put(r, 0L);
        }
        return m;
    }

    Map<DropReason, Long> delta(Map<DropReason, Long> before) {
        Map<DropReason, Long> d = new EnumMap<>(DropReason.class);
        for (DropReason r : DropReason.values()) {
            long n = node.drops().count(r) - before.get(r);
            if (n != 0) {
                d.put(r, n);
            }
        }
        return d;
    }

    void sendRaw(byte[] datagram) throws Exception {
        raw.send(ByteBuffer.wrap(datagram), port);
    }

    /** RFC 7983 on the first byte, as a datagram from an address that never passed a STUN check is judged. */
    static DropReason expectedFromUnknownAddress(byte[] d) {
        int first = d.length == 0 ? -1 : d[0] & 0xff;
        if (first >= 0 && first <= 3) {
            return DropReason.STUN_MALFORMED; // random bytes: no magic cookie, wrong lengths
        } else if (first >= 20 && first <= 63) {
            return DropReason.DTLS_UNKNOWN_ADDRESS;
        } else if (first >= 128 && first <= 191) {
            return DropReason.RTP_UNKNOWN_ADDRESS;
        }
        return DropReason.NOT_WEBRTC;
    }

    @Test
    void badDatagramsAreDroppedAndCountedWhileAMeetingGoesOn() throws Exception {
        TestPeer a = peer("room-1", "pA");
        TestPeer b = peer("room-1", "pB");
        a.join();
        b.join();
        a.connect(TIMEOUT);
        b.connect(TIMEOUT);
        String serverUfragOfA = a.firstOffer().attribute("ice-ufrag");

        try (MediaPump pump = new MediaPump(List.of(a, b), 10)) {
            Await.until(TIMEOUT, () -> packetsFrom(b, a) >= 40, "media from A at B before the flood");
            assertEquals(Map.of(), delta(zero()), "drops before the flood, by reason");

            // 1. 1,000 random datagrams (fixed seed), in batches so no socket buffer overflows.
            Random random = new Random(SEED);
            long fromABefore = packetsFrom(b, a);
            long floodStart = System.nanoTime();
            for (int batch = 0; batch < 10; batch++) {
                Map<DropReason, Long> before = snapshot();
                Map<DropReason, Long> expected = new EnumMap<>(DropReason.class);
                for (int i = 0; i < 100; i++) {
                    byte[] d = new byte[1 + random.nextInt(1200)];
                    random.nextBytes(d);
                    expected.merge(expectedFromUnknownAddress(d), 1L, Long::sum);
                    sendRaw(d);
                }
                assertDropsRose(before, expected);
            }
            long floodMillis = (System.nanoTime() - floodStart) / 1_000_000;
            long fromADuring = packetsFrom(b, a);
            assertTrue(fromADuring > fromABefore, "media from A stopped during the flood");

            // 2. Truncated STUN requests (otherwise valid, right ufrag and password).
            Map<DropReason, Long> before = snapshot();
            byte[] valid = StunRequests.forged(serverUfragOfA, "evil", a.firstOffer().attribute("ice-pwd"));
            int[] cuts = {1, 4, 19, 20, 24, valid.length - 8, valid.length - 4, valid.length - 1};
            for (int cut : cuts) {
                sendRaw(Arrays.copyOf(valid, cut));
            }
            assertDropsRose(before, Map.of(DropReason.STUN_MALFORMED, (long) cuts.length));

            // 3. STUN with A's server ufrag but a wrong password.
            before = snapshot();
            for (int i = 0; i < 5; i++) {
                sendRaw(StunRequests.forged(serverUfragOfA, "evil", "not-the-password-at-all!"));
            }
            assertDropsRose(before, Map.of(DropReason.STUN_BAD_INTEGRITY, 5L));
            // The counter rises before a response would be sent: none came, none will.
            assertNull(raw.receive(ByteBuffer.allocate(2048)), "the node answered a bad request");

            // 4. A DTLS-looking record (ClientHello, DTLS 1.2) and RTP-looking packets from an unknown address.
            before = snapshot();
            byte[] dtls = new byte[60];
            dtls[0] = 22;
            dtls[1] = (byte) 0xfe;
            dtls[2] = (byte) 0xfd;
            sendRaw(dtls);
            for (int i = 0; i < 3; i++) {
                byte[] rtp = new byte[100];
                rtp[0] = (byte) 0x80;
                rtp[1] = 96;
                rtp[3] = (byte) i;
                sendRaw(rtp);
            }
            assertDropsRose(before, Map.of(DropReason.DTLS_UNKNOWN_ADDRESS, 1L, DropReason.RTP_UNKNOWN_ADDRESS, 3L));

            // 5. A peer that passed STUN but sends RTP before any DTLS.
            TestPeer c = peer("room-2", "pC");
            c.join();
            before = snapshot();
            c.connectIce(TIMEOUT);
            for (int i = 0; i < 4; i++) {
                c.sendPlainRtp("audio");
            }
            assertDropsRose(before, Map.of(DropReason.RTP_BEFORE_DTLS, 4L));

            // 6. From A's own address: a bad tag, then a replay of a packet already accepted.
            before = snapshot();
            for (int i = 0; i < 3; i++) {
                a.sendCorruptedRtp("video");
            }
            a.replayLastRtp();
            assertDropsRose(before, Map.of(DropReason.SRTP_AUTH_FAILED, 3L, DropReason.SRTP_REPLAY, 1L));

            // The meeting went on: media keeps arriving at B after all of it, both ways.
            long fromAAfter = packetsFrom(b, a);
            long fromBAfter = packetsFrom(a, b);
            Await.until(TIMEOUT, () -> packetsFrom(b, a) >= fromAAfter + 40 && packetsFrom(a, b) >= fromBAfter + 40,
                    "media after the flood");
            System.out.println("[media-node-bad-input] 1000 random datagrams in " + floodMillis
                    + " ms (batches of 100, each awaited); B received " + (fromADuring - fromABefore)
                    + " packets from A meanwhile; drops " + snapshot());
        }
        assertEquals(0, a.srtpFailures());
        assertEquals(0, b.srtpFailures());
        assertEquals(List.of(), a.answerErrors());
        assertEquals(List.of(), b.answerErrors());
    }

    /**
     * A first answer the node cannot use is refused with a reason, and the participant is not
     * stuck: the corrected answer still publishes its streams and starts DTLS.
     */
    @Test
    void aRefusedFirstAnswerCanBeCorrected() throws Exception {
        Map<String, java.util.function.UnaryOperator<String>> spoilers = new java.util.LinkedHashMap<>();
        spoilers.put("no-ufrag", sdp -> sdp.replaceAll("a=ice-ufrag:[^\\r]*\\r\\n", ""));
        spoilers.put("setup-passive", sdp -> sdp.replace("a=setup:active", "a=setup:passive"));
        spoilers.put("no-fingerprint", sdp -> sdp.replaceAll("a=fingerprint:[^\\r]*\\r\\n", ""));
        spoilers.put("bad-fingerprint", sdp -> sdp.replaceAll("a=fingerprint:sha-256 [^\\r]*", "a=fingerprint:sha-256 00:11"));
        for (var spoiler : spoilers.entrySet()) {
            String room = "room-" + spoiler.getKey();
            TestPeer a = peer(room, "pA-" + spoiler.getKey());
            TestPeer b = peer(room, "pB-" + spoiler.getKey());
            a.spoilNextAnswer(spoiler.getValue());
            a.join();
            b.join();
            assertEquals(1, a.refusedAnswers().size(), spoiler.getKey() + ": refusals " + a.refusedAnswers());
            assertEquals(List.of(), a.answerErrors(), spoiler.getKey());
            a.connect(TIMEOUT);
            b.connect(TIMEOUT);
            assertEquals(2, b.latestOffer().midsOf(a.participantId).size(), spoiler.getKey() + ": A's streams at B");
            Await.until(TIMEOUT, () -> {
                a.sendRtp("audio");
                return b.received().packets(a.audioSsrc) >= 3;
            }, () -> spoiler.getKey() + ": media from A at B; drops " + snapshot() + ", packets in "
                    + node.counters().packetsIn() + ", B connected " + b.connected());
            System.out.println("[media-node-bad-input] " + spoiler.getKey() + ": refused with \"" + a.refusedAnswers().get(0)
                    + "\", then connected; drops so far " + delta(zero()));
        }
    }

    @Test
    void aCertificateThatDoesNotMatchTheAnswerClosesTheEndpoint() throws Exception {
        TestPeer honest = peer("room-cert", "pHonest");
        TestPeer impostor = peer("room-cert", "pImpostor");
        honest.join();
        impostor.join();
        honest.connect(TIMEOUT);
        impostor.presentAnotherCertificate();
        org.junit.jupiter.api.Assertions.assertThrows(Exception.class, () -> impostor.connect(TIMEOUT),
                "the DTLS handshake with a certificate the answer does not name fails");
        Await.until(TIMEOUT, () -> !impostor.mediaFailures().isEmpty(), () -> "media-failed sent to the impostor");
        assertEquals(1, node.dtlsFailures());
        org.junit.jupiter.api.Assertions.assertTrue(impostor.mediaFailures().get(0).getString("reason").contains("DTLS"),
                impostor.mediaFailures().toString());
        // The endpoint is gone: its consent checks are no longer answered, and the honest peer's offer drops its lines.
        Map<DropReason, Long> before = snapshot();
        long responses = impostor.stunResponses();
        Await.until(TIMEOUT, () -> snapshot().get(DropReason.STUN_UNKNOWN_UFRAG) > before.get(DropReason.STUN_UNKNOWN_UFRAG),
                () -> "a STUN check for the closed endpoint is dropped");
        assertEquals(responses, impostor.stunResponses(), "no STUN response for a closed endpoint");
        Await.until(TIMEOUT, () -> honest.latestOffer().midsOf(impostor.participantId).isEmpty(),
                () -> "the honest peer's offer no longer carries the impostor's streams");
    }
}
