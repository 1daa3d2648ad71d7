package org.huisclos.media;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.huisclos.media.peer.Await;
import org.huisclos.media.peer.MediaPump;
import org.huisclos.media.peer.Offer;
import org.huisclos.media.peer.TestPeer;
import org.huisclos.media.rtp.RtpPacket;
import org.huisclos.media.rtp.Rtx;
import org.huisclos.media.srtp.SrtpProfile;
import org.huisclos.media.transport.DropReason;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * End to end on 127.0.0.1: a deployed {@link MediaNode} and synthetic peers ({@link TestPeer}) that
 * do what a browser does: answer offers over the event bus, ICE, DTLS as client, SRTP.
 */
class MediaNodeIntegrationTest {
    static final String NODE = "test-node";
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    static Vertx vertx;
    MediaNode node;
    String deployment;
    final List<TestPeer> peers = new ArrayList<>();

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
    }

    @AfterEach
    void undeploy() throws Exception {
        for (TestPeer p : peers) {
            p.close();
        }
        vertx.undeploy(deployment).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    TestPeer peer(String room, String id) throws Exception {
        TestPeer p = new TestPeer(vertx, NODE, room, id);
        peers.add(p);
        return p;
    }

    /** Two peers in one room, joined and connected (A first). */
    TestPeer[] connectedPair(String room) throws Exception {
        TestPeer a = peer(room, "pA-" + room);
        TestPeer b = peer(room, "pB-" + room);
        a.join();
        b.join();
        a.connect(TIMEOUT);
        b.connect(TIMEOUT);
        // A's second offer carries B's streams; wait until A has answered it.
        Await.until(TIMEOUT, () -> a.answeredVersion() >= 2, "A answering the offer with B's streams");
        return new TestPeer[] {a, b};
    }

    static long packetsFrom(TestPeer receiver, TestPeer sender) {
        return receiver.received().packets(sender.audioSsrc) + receiver.received().packets(sender.videoSsrc);
    }

    static void report(String line) {
        System.out.println("[media-node-it] " + line);
    }

    @Test
    void twoPeersExchangeMediaWithKeyframesRetransmissionsAndReports() throws Exception {
        TestPeer[] pair = connectedPair("room-1");
        TestPeer a = pair[0];
        TestPeer b = pair[1];

        // Transport: STUN answered, DTLS done, the node picked AES-GCM (RFC 7714).
        for (TestPeer p : pair) {
            assertTrue(p.stunResponses() > 0, p.participantId + " got no STUN response");
            assertEquals(SrtpProfile.AEAD_AES_128_GCM, p.srtpProfile(), p.participantId + " SRTP profile");
        }
        report("A: STUN " + a.stunMillis() + " ms, SRTP keys " + a.connectMillis() + " ms; B: STUN " + b.stunMillis()
                + " ms, SRTP keys " + b.connectMillis() + " ms");

        // Offers: A's second offer grew by B's two streams, B's first already had A's.
        Offer aOffer = a.latestOffer();
        assertEquals(List.of("a", "v"), a.firstOffer().mids());
        assertEquals(2, aOffer.version());
        assertEquals(2, aOffer.midsOf(b.participantId).size(), "tracks of A's offer: " + aOffer.tracks());
        Offer bOffer = b.latestOffer();
        List<String> aMidsAtB = bOffer.midsOf(a.participantId);
        assertEquals(2, aMidsAtB.size(), "tracks of B's offer: " + bOffer.tracks());
        for (Offer.Track t : bOffer.tracks()) {
            assertEquals("sendonly", bOffer.direction(t.mid()));
            long[] ssrcs = bOffer.ssrcsOf(t.mid());
            if (t.kind().equals("video")) {
                assertArrayEquals(new long[] {a.videoSsrc & 0xffffffffL, a.rtxSsrc & 0xffffffffL}, ssrcs);
            } else {
                assertArrayEquals(new long[] {a.audioSsrc & 0xffffffffL}, ssrcs);
            }
        }

        // Keyframe request: B's subscription to A's video made the node send A a PLI.
        Await.until(TIMEOUT, () -> a.plis() >= 1, "a PLI at A once B receives A's video");

        // Media both ways, decrypted with the publisher's SSRCs and payload.
        long start = System.nanoTime();
        try (MediaPump pump = new MediaPump(List.of(a, b), 10)) {
            Await.until(TIMEOUT, () -> a.received().packets(b.videoSsrc) >= 50 && a.received().packets(b.audioSsrc) >= 50
                    && b.received().packets(a.videoSsrc) >= 50 && b.received().packets(a.audioSsrc) >= 50,
                    () -> "50 packets each way, have A<-B " + packetsFrom(a, b) + ", B<-A " + packetsFrom(b, a));
            report("50 audio + 50 video packets each way in " + (System.nanoTime() - start) / 1_000_000 + " ms");
            assertSameBytes(a, b, "video");
            assertSameBytes(a, b, "audio");
            assertSameBytes(b, a, "video");
            assertSameBytes(b, a, "audio");
            assertTrue(b.received().stats(a.videoSsrc).keyframes.get() >= 1, "B saw no keyframe from A");

            // A PLI from B reaches A (the node relays it) and A's next frame, a keyframe, reaches B.
            long plis = a.plis();
            long keyframes = b.received().stats(a.videoSsrc).keyframes.get();
            long pliAt = System.nanoTime();
            Await.until(TIMEOUT, () -> {
                if (a.plis() == plis) {
                    b.sendPli(a.videoSsrc); // the node throttles PLIs to one per 300 ms per stream
                    Await.until(Duration.ofMillis(400), () -> true, "");
                }
                return b.received().stats(a.videoSsrc).keyframes.get() > keyframes;
            }, "a keyframe from A after B's PLI");
            report("PLI from B to keyframe at B: " + (System.nanoTime() - pliAt) / 1_000_000 + " ms");

            // RTCP from the node: receiver reports and REMB for A's streams.
            Await.until(Duration.ofMillis(2500), () -> a.receiverReports() >= 1 && a.rembs() >= 1,
                    () -> "RR and REMB at A: " + a.receiverReports() + " RR, " + a.rembs() + " REMB");
            assertEquals(1_000_000, a.lastRembBitrate(), "REMB bitrate at A");
        }

        // NACK from B for a packet A sent: retransmitted on A's RTX SSRC, OSN first (RFC 4588).
        int seq = b.received().stats(a.videoSsrc).lastSeq - 3 & 0xffff;
        byte[] original = a.sent("video", seq);
        assertNotNull(original, "A sent " + seq);
        long nackAt = System.nanoTime();
        b.sendNack(a.videoSsrc, seq);
        Await.until(TIMEOUT, () -> b.received().retransmission(a.rtxSsrc, seq) != null, "RTX of " + seq + " at B");
        report("NACK to RTX at B: " + (System.nanoTime() - nackAt) / 1_000_000 + " ms");
        byte[] rtx = b.received().retransmission(a.rtxSsrc, seq);
        assertEquals(a.rtxSsrc, RtpPacket.ssrc(rtx, 0));
        assertEquals(97, RtpPacket.payloadType(rtx, 0));
        assertEquals(RtpPacket.timestamp(original, 0), RtpPacket.timestamp(rtx, 0));
        int payload = RtpPacket.payloadOffset(rtx, 0);
        assertEquals(seq, ((rtx[payload] & 0xff) << 8) | (rtx[payload + 1] & 0xff), "OSN");
        assertEquals(seq, Rtx.originalSequenceNumber(rtx, 0, rtx.length));
        assertArrayEquals(Arrays.copyOfRange(original, 12, original.length),
                Arrays.copyOfRange(rtx, payload + 2, rtx.length), "RTX payload after the OSN");

        // The node's counters agree with what the peers saw.
        var counters = node.counters();
        long forwarded = packetsFrom(a, b) + packetsFrom(b, a);
        report("node: packets in " + counters.packetsIn() + ", out " + counters.packetsOut() + " (" + counters.bytesOut()
                + " bytes), retransmissions " + counters.retransmissions() + ", keyframe requests "
                + counters.keyframeRequests() + ", drops " + node.drops().total() + "; peers received " + forwarded
                + " RTP packets");
        assertTrue(counters.packetsIn() >= forwarded, "every forwarded packet came in once");
        assertTrue(counters.packetsOut() >= forwarded + 1, "out covers forwarded RTP and RTX");
        assertTrue(counters.retransmissions() >= 1);
        assertTrue(counters.keyframeRequests() >= 2);
        assertEquals(0, node.drops().total(), "nothing dropped between well-behaved peers");
        assertEquals(0, node.dtlsFailures());
        for (TestPeer p : pair) {
            assertEquals(0, p.srtpFailures(), p.participantId + " SRTP failures");
            assertEquals(0, p.unreadable(), p.participantId + " unreadable datagrams");
            assertEquals(List.of(), p.answerErrors());
        }
    }

    /** Some packets {@code receiver} got from {@code sender} are byte for byte what it sent. */
    static void assertSameBytes(TestPeer sender, TestPeer receiver, String kind) {
        int ssrc = kind.equals("video") ? sender.videoSsrc : sender.audioSsrc;
        int last = receiver.received().stats(ssrc).lastSeq;
        int compared = 0;
        for (int back = 0; back < 40 && compared < 5; back++) {
            int seq = (last - back) & 0xffff;
            byte[] got = receiver.received().packet(ssrc, seq);
            if (got != null) {
                assertArrayEquals(sender.sent(kind, seq), got, kind + " packet " + seq);
                compared++;
            }
        }
        assertEquals(5, compared, "packets compared");
    }

    @Test
    void aPeerInAnotherRoomReceivesNothingOfTheFirstRoom() throws Exception {
        TestPeer[] pair = connectedPair("room-1");
        TestPeer c = peer("room-2", "pC");
        c.join();
        c.connect(TIMEOUT);
        try (MediaPump pump = new MediaPump(List.of(pair[0], pair[1], c), 10)) {
            Await.until(TIMEOUT, () -> packetsFrom(pair[1], pair[0]) >= 60 && packetsFrom(pair[0], pair[1]) >= 60,
                    "media between A and B");
            // C publishes, so the node reports to it each second: one report after the media flowed
            // shows C's socket has drained everything the node sent before it.
            long reports = c.receiverReports();
            Await.until(TIMEOUT, () -> c.receiverReports() > reports, "a receiver report at C");
        }
        assertEquals(0, c.received().totalPackets(), "C received RTP");
        assertEquals(0, pair[0].received().packets(c.audioSsrc) + pair[0].received().packets(c.videoSsrc));
        assertEquals(0, pair[1].received().packets(c.audioSsrc) + pair[1].received().packets(c.videoSsrc));
        assertEquals(1, c.offers().size(), "C's offers: " + c.offers());
        assertEquals(List.of(), c.latestOffer().tracks());
        assertTrue(node.counters().packetsIn() > 0);
    }

    @Test
    void whenAPeerLeavesItsLinesBecomeInactiveAndItsMediaStops() throws Exception {
        TestPeer[] pair = connectedPair("room-1");
        TestPeer a = pair[0];
        TestPeer b = pair[1];
        try (MediaPump pump = new MediaPump(List.of(a, b), 10)) {
            Await.until(TIMEOUT, () -> packetsFrom(b, a) >= 40, "media from A at B");
        }
        List<String> aMids = b.latestOffer().midsOf(a.participantId);
        long versionBefore = b.latestOffer().version();

        a.leave();
        Await.until(TIMEOUT, () -> b.answeredVersion() > versionBefore, "B answering the offer after A left");
        Offer after = b.latestOffer();
        for (String mid : aMids) {
            assertEquals("inactive", after.direction(mid), "m-line " + mid + " after A left");
        }
        assertEquals(List.of(), after.midsOf(a.participantId));
        assertEquals(List.of("a", "v", aMids.get(0), aMids.get(1)), after.mids(), "m-lines are never removed");

        // A keeps sending from its old address: the node no longer knows it and drops the packets.
        long reportsAfterLeave = b.receiverReports();
        Await.until(TIMEOUT, () -> b.receiverReports() > reportsAfterLeave, "a receiver report at B after A left");
        long fromA = packetsFrom(b, a);
        long unknown = node.drops().count(DropReason.RTP_UNKNOWN_ADDRESS);
        for (int i = 0; i < 20; i++) {
            a.sendRtp("audio");
            a.sendRtp("video");
            b.sendRtp("audio");
        }
        Await.until(TIMEOUT, () -> node.drops().count(DropReason.RTP_UNKNOWN_ADDRESS) >= unknown + 40,
                () -> "A's packets dropped as from an unknown address: " + node.drops().count(DropReason.RTP_UNKNOWN_ADDRESS));
        long reports = b.receiverReports();
        Await.until(TIMEOUT, () -> b.receiverReports() > reports, "another receiver report at B");
        assertEquals(fromA, packetsFrom(b, a), "B received media from A after A left");
        assertEquals(List.of(), b.answerErrors());
    }
}
