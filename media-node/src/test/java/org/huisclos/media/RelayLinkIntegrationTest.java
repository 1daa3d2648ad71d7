package org.huisclos.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.huisclos.contract.Addresses;
import org.huisclos.contract.MediaRequest;
import org.huisclos.media.dtls.DtlsRole;
import org.huisclos.media.peer.Await;
import org.huisclos.media.peer.MediaPump;
import org.huisclos.media.peer.StunRequests;
import org.huisclos.media.peer.TestPeer;
import org.huisclos.media.relay.LinkStats;
import org.huisclos.media.relay.RelayLink;
import org.huisclos.media.transport.DropReason;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One room across two media nodes in one JVM (local event bus, two UDP ports on 127.0.0.1): A on
 * node n1, B, C and D on node n2, joined by one relay link (DTLS-SRTP between the nodes, n1 the
 * DTLS client since its id is smaller).
 */
class RelayLinkIntegrationTest {
    static final Duration TIMEOUT = Duration.ofSeconds(15);
    static final String ROOM = "relay-room";

    static Vertx vertx;
    MediaNode n1;
    MediaNode n2;
    final List<String> deployments = new ArrayList<>();
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
        n1 = deploy("n1");
        n2 = deploy("n2");
    }

    MediaNode deploy(String id) throws Exception {
        MediaNode node = new MediaNode(new MediaNodeConfig(id, "127.0.0.1", 0, "127.0.0.1", 50, 1_000_000));
        deployments.add(get(vertx.deployVerticle(node)));
        return node;
    }

    @AfterEach
    void undeploy() throws Exception {
        for (TestPeer p : peers) {
            p.close();
        }
        for (String d : deployments) {
            get(vertx.undeploy(d));
        }
    }

    static <T> T get(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    TestPeer joined(String node, String id) throws Exception {
        TestPeer p = new TestPeer(vertx, node, ROOM, id);
        peers.add(p);
        p.join();
        p.connect(TIMEOUT);
        return p;
    }

    static RelayLink link(MediaNode node) throws Exception {
        List<RelayLink> links = get(node.relayLinks());
        return links.size() == 1 ? links.get(0) : null;
    }

    static int linkCount(MediaNode node) {
        try {
            return get(node.relayLinks()).size();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** What placement would send when the room spans both nodes. */
    static void connectRelay(String toNode, String peerNode) throws Exception {
        get(vertx.eventBus().request(Addresses.mediaNode(toNode), new JsonObject()
                .put(MediaRequest.ACTION, MediaRequest.RELAY_CONNECT)
                .put(MediaRequest.ROOM, ROOM)
                .put(MediaRequest.NODE, peerNode)));
    }

    /** The peer answered an offer that has {@code n} m-lines of {@code other}. */
    static boolean sees(TestPeer p, TestPeer other, int n) {
        var offer = p.latestOffer();
        return offer.midsOf(other.participantId).size() == n && p.answeredVersion() >= offer.version();
    }

    static long packetsFrom(TestPeer receiver, TestPeer sender) {
        return receiver.received().packets(sender.audioSsrc) + receiver.received().packets(sender.videoSsrc);
    }

    static void report(String line) {
        System.out.println("[relay-it] " + line);
    }

    @Test
    void oneLinkCarriesEachStreamOnceBothWaysWithFeedbackAndClosesWhenTheRoomNoLongerSpansBothNodes()
            throws Exception {
        TestPeer a = joined("n1", "rA");
        TestPeer b = joined("n2", "rB");
        TestPeer c = joined("n2", "rC");
        TestPeer d = joined("n2", "rD");

        long openAt = System.nanoTime();
        // Asked of n2, the DTLS server: it sends relay-open to n1, listens once n1 replied, then tells n1
        // (relay-ready), which starts its handshake as the client.
        connectRelay("n2", "n1");
        Await.until(TIMEOUT, () -> {
            try {
                RelayLink l1 = link(n1);
                RelayLink l2 = link(n2);
                return l1 != null && l2 != null && l1.connected() && l2.connected();
            } catch (Exception e) {
                return false;
            }
        }, "the relay link's DTLS handshake on both nodes");
        report("relay link up (relay-open, DTLS, SRTP keys) in " + (System.nanoTime() - openAt) / 1_000_000 + " ms");
        RelayLink l1 = link(n1);
        RelayLink l2 = link(n2);
        assertEquals(DtlsRole.CLIENT, l1.role(), "the smaller node id is the DTLS client");
        assertEquals(DtlsRole.SERVER, l2.role());

        // Offers: A sees B, C and D's streams, named by their participant ids; they see A's.
        for (TestPeer far : List.of(b, c, d)) {
            Await.until(TIMEOUT, () -> sees(a, far, 2), () -> "A answering an offer with " + far.participantId
                    + "'s streams: " + a.latestOffer().tracks());
            Await.until(TIMEOUT, () -> sees(far, a, 2), () -> far.participantId + " answering an offer with A's"
                    + " streams: " + far.latestOffer().tracks());
        }

        MediaPump pump = new MediaPump(List.of(a, b, c, d), 10);
        try (pump) {
            for (TestPeer far : List.of(b, c, d)) {
                Await.until(TIMEOUT, () -> far.received().packets(a.videoSsrc) >= 50
                                && far.received().packets(a.audioSsrc) >= 50
                                && a.received().packets(far.videoSsrc) >= 50 && a.received().packets(far.audioSsrc) >= 50,
                        () -> "50 packets each way between A and " + far.participantId + ": A<- " + packetsFrom(a, far)
                                + ", ->" + packetsFrom(far, a));
            }
            for (TestPeer far : List.of(b, c, d)) {
                MediaNodeIntegrationTest.assertSameBytes(a, far, "video");
                MediaNodeIntegrationTest.assertSameBytes(a, far, "audio");
                MediaNodeIntegrationTest.assertSameBytes(far, a, "video");
            }
            assertTrue(b.received().stats(a.videoSsrc).keyframes.get() >= 1, "B saw no keyframe from A");

            // A PLI from B crosses the link back to A, and A's keyframe reaches B.
            long plis = a.plis();
            long keyframes = b.received().stats(a.videoSsrc).keyframes.get();
            long pliAt = System.nanoTime();
            Await.until(TIMEOUT, () -> {
                if (a.plis() == plis) {
                    b.sendPli(a.videoSsrc); // each node throttles PLIs to one per 300 ms per stream
                    long until = System.nanoTime() + 400_000_000L;
                    Await.until(Duration.ofMillis(500), () -> a.plis() > plis || System.nanoTime() > until, "");
                }
                return a.plis() > plis && b.received().stats(a.videoSsrc).keyframes.get() > keyframes;
            }, "a PLI at A and then a keyframe from A at B, after B's PLI");
            report("PLI from B (node n2) to keyframe at B through A (node n1): "
                    + (System.nanoTime() - pliAt) / 1_000_000 + " ms");

            // A NACK from C is answered on node n2 from its own cache of A's video (RTX, A's RTX SSRC).
            int seq = c.received().stats(a.videoSsrc).lastSeq - 3 & 0xffff;
            c.sendNack(a.videoSsrc, seq);
            Await.until(TIMEOUT, () -> c.received().retransmission(a.rtxSsrc, seq) != null, "RTX of " + seq + " at C");
        }
        // Counted once the pump has stopped: a round sends its packets before it counts itself.
        long rounds = pump.rounds();

        // Each of A's packets crossed the link once, not once per far subscriber.
        LinkStats s1 = l1.stats();
        LinkStats s2 = l2.stats();
        Await.until(TIMEOUT, () -> s2.rtpPacketsIn() >= s1.rtpPacketsOut() - 2,
                () -> "n2 receiving what n1 sent on the link: " + s2.rtpPacketsIn() + " of " + s1.rtpPacketsOut());
        long aSent = a.received().packets(b.videoSsrc) >= 0 ? 2 * rounds : 0; // audio + video per round
        long bGotA = packetsFrom(b, a);
        report("A sent ~" + aSent + " RTP packets; link n1->n2 " + s1.rtpPacketsOut() + " RTP + " + s1.rtcpPacketsOut()
                + " RTCP (" + s1.bytesOut() + " bytes); n2 received " + s2.rtpPacketsIn() + " RTP, forwarded to B "
                + bGotA + ", C " + packetsFrom(c, a) + ", D " + packetsFrom(d, a));
        report("link n2->n1 " + s2.rtpPacketsOut() + " RTP (" + s2.bytesOut() + " bytes) for B, C, D's ~" + 6 * rounds
                + "; n1 received " + s1.rtpPacketsIn() + "; loss in at n2 " + l2.packetsLostIn() + " of "
                + l2.packetsExpectedIn() + ", at n1 " + l1.packetsLostIn() + " of " + l1.packetsExpectedIn());
        assertTrue(s1.rtpPacketsOut() <= aSent + 2, "A's packets crossed once: " + s1.rtpPacketsOut() + " for " + aSent);
        assertTrue(s1.rtpPacketsOut() >= bGotA, "B's copies of A's packets all crossed the link");
        assertTrue(s2.rtpPacketsOut() <= 6 * rounds + 2, "B, C, D's packets crossed once: " + s2.rtpPacketsOut());
        assertTrue(s2.rtpPacketsOut() >= packetsFrom(a, b) + packetsFrom(a, c) + packetsFrom(a, d));
        assertTrue(s1.rtcpPacketsIn() >= 1, "the PLI crossed back from n2 to n1");

        // RTT of the link from the nodes' signed STUN consent checks (once a second).
        Await.until(TIMEOUT, () -> s1.rttMicros() >= 0 && s2.rttMicros() >= 0, "an RTT on both ends of the link");
        report("link RTT from STUN consent: n1 " + s1.rttMicros() + " us, n2 " + s2.rttMicros() + " us");
        // The DTLS server (n2) has its keys a moment before the client (n1): a PLI n2 sends then, when a
        // subscriber's answer races the handshake, arrives keyless and is dropped; n1 asks A for a
        // keyframe itself once the link is up, so nothing is lost. Nothing else may be dropped.
        for (MediaNode node : List.of(n1, n2)) {
            long early = node.drops().count(DropReason.RTP_BEFORE_DTLS);
            assertTrue(early <= 3, () -> "drops: " + dropsOf(node));
            assertEquals(0, node.drops().total() - early, () -> "drops: " + dropsOf(node));
        }

        // Someone outside the cluster, from its own socket, claiming to be the link towards n2.
        try (DatagramChannel intruder = DatagramChannel.open()) {
            intruder.bind(new InetSocketAddress("127.0.0.1", 0));
            InetSocketAddress n2Port = new InetSocketAddress("127.0.0.1", n2.udpPort());
            String ufrag = l2.endpoint().localUfrag;
            intruder.send(ByteBuffer.wrap(StunRequests.forged(ufrag, "evil", "not-the-links-password-xx")), n2Port);
            Await.until(TIMEOUT, () -> n2.drops().count(DropReason.RELAY_STUN_UNAUTHENTICATED) == 1,
                    "a forged consent check for the link dropped as unauthenticated");
            // Even signed with the link's password, a check from another address does not move the link.
            intruder.send(ByteBuffer.wrap(StunRequests.forged(ufrag, "evil", l2.endpoint().localPwd)), n2Port);
            Await.until(TIMEOUT, () -> n2.drops().count(DropReason.RELAY_WRONG_ADDRESS) == 1,
                    "a signed check for the link from another address dropped");
            // SRTP that claims A's SSRC, from the intruder's address: not the link's, dropped.
            byte[] fake = new byte[60];
            fake[0] = (byte) 0x80;
            fake[1] = 96;
            ByteBuffer.wrap(fake).putInt(8, a.videoSsrc);
            long before = b.received().packets(a.videoSsrc);
            intruder.send(ByteBuffer.wrap(fake), n2Port);
            Await.until(TIMEOUT, () -> n2.drops().count(DropReason.RTP_UNKNOWN_ADDRESS) == 1, "fake SRTP dropped");
            assertEquals(before, b.received().packets(a.videoSsrc), "B got nothing from the intruder");
        }
        assertTrue(link(n2) != null && link(n2).connected(), "the link survived the intruder");

        // A leaves: the room no longer spans both nodes, so the link closes on both; A's lines go inactive.
        List<String> aMids = b.latestOffer().midsOf(a.participantId);
        a.leave();
        Await.until(TIMEOUT, () -> linkCount(n1) == 0 && linkCount(n2) == 0, "the link closing on both nodes");
        Await.until(TIMEOUT, () -> b.latestOffer().midsOf(a.participantId).isEmpty()
                && b.answeredVersion() >= b.latestOffer().version(), "B answering the offer after A left");
        for (String mid : aMids) {
            assertEquals("inactive", b.latestOffer().direction(mid), "B's m-line " + mid + " after A left");
        }
        for (TestPeer p : List.of(a, b, c, d)) {
            assertEquals(0, p.srtpFailures(), p.participantId + " SRTP failures");
            assertEquals(List.of(), p.answerErrors());
        }
        assertEquals(0, n1.dtlsFailures() + n2.dtlsFailures());
    }

    @Test
    void streamsPublishedAfterTheLinkCrossItAndTheLinkClosesWhenTheFarSideEmpties() throws Exception {
        TestPeer a = joined("n1", "sA");
        TestPeer b = joined("n2", "sB");
        // Asked of n1, the DTLS client: it starts its handshake as soon as n2 (server) replied.
        connectRelay("n1", "n2");
        Await.until(TIMEOUT, () -> sees(a, b, 2) && sees(b, a, 2), "A and B seeing each other's streams");

        // E joins n2 after the link is up: it is offered A's streams (from the link), and A gets E's.
        TestPeer e = joined("n2", "sE");
        Await.until(TIMEOUT, () -> sees(a, e, 2) && sees(e, a, 2), () -> "A and E seeing each other's streams: A "
                + a.latestOffer().tracks() + ", E " + e.latestOffer().tracks());
        Await.until(TIMEOUT, () -> {
            try {
                return link(n1).connected() && link(n2).connected();
            } catch (Exception ex) {
                return false;
            }
        }, "the link's DTLS on both nodes");
        assertEquals(DtlsRole.CLIENT, link(n1).role());
        try (MediaPump pump = new MediaPump(List.of(a, b, e), 10)) {
            Await.until(TIMEOUT, () -> e.received().packets(a.videoSsrc) >= 40 && a.received().packets(e.videoSsrc) >= 40
                    && b.received().packets(a.audioSsrc) >= 40 && a.received().packets(b.audioSsrc) >= 40,
                    () -> "media between A and B, E: E<-A " + packetsFrom(e, a) + ", A<-E " + packetsFrom(a, e));
        }
        LinkStats s1 = link(n1).stats();
        assertTrue(s1.rtpPacketsOut() < packetsFrom(b, a) + packetsFrom(e, a),
                "A's packets crossed once for B and E: " + s1.rtpPacketsOut());

        // Refusals: relay-open for a room this node does not host; an address that is no IP literal.
        JsonObject open = new JsonObject().put(MediaRequest.ACTION, MediaRequest.RELAY_OPEN)
                .put(MediaRequest.ROOM, "no-such-room").put(MediaRequest.NODE, "n9")
                .put(MediaRequest.ADDRESS, "127.0.0.1:9").put(MediaRequest.FINGERPRINT, "AA")
                .put(MediaRequest.UFRAG, "abcdefgh").put(MediaRequest.PWD, "0123456789012345678901")
                .put(MediaRequest.STREAMS, new io.vertx.core.json.JsonArray());
        assertEquals(404, failureCode(Addresses.mediaNode("n2"), open));
        assertEquals(400, failureCode(Addresses.mediaNode("n2"), open.copy().put(MediaRequest.ROOM, ROOM)
                .put(MediaRequest.ADDRESS, "example.org:9")));
        assertEquals(400, failureCode(Addresses.mediaNode("n2"), open.copy().put(MediaRequest.ROOM, ROOM)
                .put(MediaRequest.NODE, "n2")));
        assertEquals(409, failureCode(Addresses.mediaNode("n2"), open.copy().put(MediaRequest.ROOM, ROOM)
                .put(MediaRequest.NODE, "n1")), "a second link for the same room and node");
        assertEquals(1, linkCount(n2));
        // A malformed list of streams on the open link: refused with a 400, nothing of it applied.
        JsonObject streams = new JsonObject().put(MediaRequest.ACTION, MediaRequest.RELAY_STREAMS)
                .put(MediaRequest.ROOM, ROOM).put(MediaRequest.NODE, "n1");
        assertEquals(400, failureCode(Addresses.mediaNode("n2"), streams.copy().put(MediaRequest.STREAMS,
                new io.vertx.core.json.JsonArray().add(new JsonObject().put(MediaRequest.STREAM_KIND, "video")))));
        assertEquals(400, failureCode(Addresses.mediaNode("n2"), streams.copy().put(MediaRequest.STREAMS,
                new io.vertx.core.json.JsonArray().add("not a stream"))));
        assertEquals(400, failureCode(Addresses.mediaNode("n2"), streams.copy().put(MediaRequest.STREAMS, "none")));
        try (MediaPump pump = new MediaPump(List.of(a, b, e), 10)) {
            long before = e.received().packets(a.videoSsrc);
            Await.until(TIMEOUT, () -> e.received().packets(a.videoSsrc) >= before + 20,
                    () -> "A's video still reaches E over the link: " + packetsFrom(e, a));
        }

        // B and E leave: n2 no longer hosts the room, so the link closes on both nodes; A stays alone.
        List<String> bMids = a.latestOffer().midsOf(b.participantId);
        b.leave();
        assertEquals(1, linkCount(n1), "E is still on n2");
        e.leave();
        Await.until(TIMEOUT, () -> linkCount(n1) == 0 && linkCount(n2) == 0, "the link closing on both nodes");
        Await.until(TIMEOUT, () -> a.latestOffer().midsOf(e.participantId).isEmpty()
                && a.latestOffer().midsOf(b.participantId).isEmpty()
                && a.answeredVersion() >= a.latestOffer().version(), "A answering the offer without B and E");
        for (String mid : bMids) {
            assertEquals("inactive", a.latestOffer().direction(mid));
        }
        // (B and E's consent checks after leaving are dropped as for any participant gone: not relay drops.)
        assertEquals(0, relayDrops(n1) + relayDrops(n2), "relay drops: n1 " + dropsOf(n1) + ", n2 " + dropsOf(n2));
    }

    static long relayDrops(MediaNode node) {
        long n = 0;
        for (DropReason r : DropReason.values()) {
            if (r.label.startsWith("relay_")) {
                n += node.drops().count(r);
            }
        }
        return n;
    }

    static String dropsOf(MediaNode node) {
        StringBuilder out = new StringBuilder();
        for (DropReason r : DropReason.values()) {
            if (node.drops().count(r) > 0) {
                out.append(r.label).append('=').append(node.drops().count(r)).append(' ');
            }
        }
        return out.toString();
    }

    @Test
    void aStreamPublishedWhileTheLinkIsOpeningCrossesIt() throws Exception {
        TestPeer x = joined("n1", "pX");
        TestPeer b = joined("n2", "pB");
        // Hold n2's relay-open until A has published on n1: n1's request announced only X's streams.
        java.util.concurrent.atomic.AtomicReference<io.vertx.core.eventbus.DeliveryContext<Object>> held =
                new java.util.concurrent.atomic.AtomicReference<>();
        io.vertx.core.Handler<io.vertx.core.eventbus.DeliveryContext<Object>> hold = ctx -> {
            if (ctx.message().body() instanceof JsonObject body
                    && MediaRequest.RELAY_OPEN.equals(body.getString(MediaRequest.ACTION)) && held.get() == null) {
                held.set(ctx);
            } else {
                ctx.next();
            }
        };
        vertx.eventBus().addInboundInterceptor(hold);
        try {
            Future<?> connected = vertx.eventBus().request(Addresses.mediaNode("n1"), new JsonObject()
                    .put(MediaRequest.ACTION, MediaRequest.RELAY_CONNECT).put(MediaRequest.ROOM, ROOM)
                    .put(MediaRequest.NODE, "n2"));
            Await.until(TIMEOUT, () -> held.get() != null, "n1's relay-open on its way");
            TestPeer a = joined("n1", "pA");
            held.get().next();
            get(connected);
            Await.until(TIMEOUT, () -> sees(b, a, 2) && sees(b, x, 2), () -> "B offered A's and X's streams: "
                    + b.latestOffer().tracks());
            try (MediaPump pump = new MediaPump(List.of(a, b), 10)) {
                Await.until(TIMEOUT, () -> b.received().packets(a.videoSsrc) >= 20, () -> "A's video at B: "
                        + b.received().packets(a.videoSsrc));
            }
        } finally {
            vertx.eventBus().removeInboundInterceptor(hold);
        }
    }

    @Test
    void crossedRelayConnectsOpenExactlyOneLink() throws Exception {
        TestPeer p = joined("n1", "xP");
        TestPeer q = joined("n2", "xQ");
        Future<?> one = vertx.eventBus().request(Addresses.mediaNode("n1"), new JsonObject()
                .put(MediaRequest.ACTION, MediaRequest.RELAY_CONNECT).put(MediaRequest.ROOM, ROOM)
                .put(MediaRequest.NODE, "n2"));
        Future<?> two = vertx.eventBus().request(Addresses.mediaNode("n2"), new JsonObject()
                .put(MediaRequest.ACTION, MediaRequest.RELAY_CONNECT).put(MediaRequest.ROOM, ROOM)
                .put(MediaRequest.NODE, "n1"));
        one.toCompletionStage().toCompletableFuture().handle((r, x) -> r).get(10, TimeUnit.SECONDS);
        two.toCompletionStage().toCompletableFuture().handle((r, x) -> r).get(10, TimeUnit.SECONDS);
        Await.until(TIMEOUT, () -> {
            try {
                RelayLink l1 = link(n1);
                RelayLink l2 = link(n2);
                return l1 != null && l2 != null && l1.connected() && l2.connected();
            } catch (Exception ex) {
                return false;
            }
        }, () -> "one connected link on each node: " + linkCount(n1) + ", " + linkCount(n2));
        Await.until(TIMEOUT, () -> sees(p, q, 2) && sees(q, p, 2), "P and Q seeing each other's streams");
        try (MediaPump pump = new MediaPump(List.of(p, q), 10)) {
            Await.until(TIMEOUT, () -> q.received().packets(p.videoSsrc) >= 20 && p.received().packets(q.videoSsrc) >= 20,
                    "media both ways over the one link");
        }
        assertEquals(1, linkCount(n1));
        assertEquals(1, linkCount(n2));
        assertEquals(0, relayDrops(n1) + relayDrops(n2), "relay drops: n1 " + dropsOf(n1) + ", n2 " + dropsOf(n2));
    }

    static int failureCode(String address, JsonObject body) throws Exception {
        try {
            get(vertx.eventBus().request(address, body));
            return 200;
        } catch (java.util.concurrent.ExecutionException e) {
            return ((io.vertx.core.eventbus.ReplyException) e.getCause()).failureCode();
        }
    }
}
