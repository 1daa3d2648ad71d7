package org.huisclos.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import java.lang.management.ManagementFactory;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.huisclos.media.peer.Await;
import org.huisclos.media.peer.MediaPump;
import org.huisclos.media.peer.Offer;
import org.huisclos.media.peer.StunRequests;
import org.huisclos.media.peer.TestPeer;
import org.huisclos.media.transport.DropReason;
import org.huisclos.media.transport.TcpRefusal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 13, adversarial clients: a participant in a meeting (Eve, who holds the link, her own ICE
 * password and her own SRTP keys) attacks the media node while two others, Ada and Bob, go on
 * exchanging audio and video in the same room — checks from hundreds of source ports (item 1),
 * authentic SRTP and SRTCP under thousands of SSRCs (item 2), and a flood of ICE-TCP connections
 * (item 7). Each attack is cut off by its limit and counted; the meeting loses less than 0.1 % of its
 * packets, and the node's state stays bounded (addresses, SSRC state, heap after GC). The
 * signaling-side attacks (items 3 and 5) are PasswordLimitsTest and ClientQuotasTest.
 */
class AdversarialPeersTest {
    private static final String NODE = "adversarial-node";
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final String ROOM = "0123456789abcdef0123456789abcdef";
    private Vertx vertx;
    private MediaNode node;
    private String deployment;
    private final List<TestPeer> peers = new ArrayList<>();

    @BeforeEach
    void deploy() throws Exception {
        vertx = Vertx.vertx();
        node = new MediaNode(new MediaNodeConfig(NODE, "127.0.0.1", 0, 0, "127.0.0.1", 50, 1_000_000, false));
        deployment = vertx.deployVerticle(node).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void close() throws Exception {
        for (TestPeer p : peers) {
            p.close();
        }
        vertx.undeploy(deployment).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private TestPeer peer(String id) throws Exception {
        TestPeer p = new TestPeer(vertx, NODE, ROOM, id);
        peers.add(p);
        p.join();
        return p;
    }

    @Test
    void aMeetingGoesOnWhileOneOfItsParticipantsAttacksTheNode() throws Exception {
        TestPeer ada = peer("pAda");
        TestPeer bob = peer("pBob");
        TestPeer eve = peer("pEve");
        for (TestPeer p : peers) {
            p.connect(TIMEOUT);
        }
        Await.until(TIMEOUT, () -> peers.stream().allMatch(p -> p.answeredVersion() == p.latestOffer().version()
                        && peers.stream().allMatch(q -> q == p || !p.latestOffer().midsOf(q.participantId).isEmpty())),
                "everyone answered an offer with the others' streams");
        long heapBefore = heapAfterGc();
        long rounds;
        // The meeting runs: Ada and Bob send audio and video all along; Eve attacks meanwhile.
        try (MediaPump meeting = new MediaPump(List.of(ada, bob), 5)) {
            Await.until(TIMEOUT, () -> bob.received().packets(ada.videoSsrc) > 0 && ada.received().packets(bob.videoSsrc) > 0,
                    "media between Ada and Bob");
            // Item 2: authentic SRTP under 3000 SSRCs Eve never published, SRTCP from 500 SSRCs.
            long unknown0 = node.drops().count(DropReason.RTP_UNKNOWN_SSRC);
            long tooMany0 = node.drops().count(DropReason.SRTP_TOO_MANY_SSRCS);
            for (int i = 0; i < 3000; i++) {
                eve.sendRtpAs(0x4000_0000 + i, i);
                if (i < 500) {
                    eve.sendReportAs(0x5000_0000 + i);
                }
                if (i % 100 == 99) {
                    Thread.sleep(1); // pacing: a flood, but not one that overruns the loopback's own buffers
                }
            }
            Await.until(TIMEOUT, () -> node.drops().count(DropReason.RTP_UNKNOWN_SSRC) - unknown0 >= 3000,
                    () -> "Eve's RTP of unpublished SSRCs dropped: " + (node.drops().count(DropReason.RTP_UNKNOWN_SSRC) - unknown0));
            // Eve receives 4 streams: state for 16 + 2 x 2 published + 2 x 4 received = 28 SSRCs at most.
            Await.until(TIMEOUT, () -> node.drops().count(DropReason.SRTP_TOO_MANY_SSRCS) - tooMany0 >= 500 - 28,
                    () -> "Eve's reports beyond her SSRC limit dropped: " + (node.drops().count(DropReason.SRTP_TOO_MANY_SSRCS) - tooMany0));

            // Item 1: signed checks from 300 source ports with Eve's own ICE credentials.
            Offer offer = eve.firstOffer();
            InetSocketAddress server = offer.candidate();
            byte[] check = StunRequests.forged(offer.attribute("ice-ufrag"), "eve", offer.attribute("ice-pwd"));
            int answered = 0;
            for (int i = 0; i < 300; i++) {
                try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
                    socket.setSoTimeout(2_000);
                    socket.send(new DatagramPacket(check, check.length, server));
                    try {
                        socket.receive(new DatagramPacket(new byte[1500], 1500));
                        answered++;
                    } catch (SocketTimeoutException e) {
                        // counted below
                    }
                }
            }
            assertEquals(300, answered, "Eve's checks are valid: each is answered, and displaces a path (her own too)");
            assertTrue(node.addressCount() <= 3 * 8, "addresses stay bounded: " + node.addressCount());
            assertTrue(node.pathsDisplaced() >= 300 - 8, "displaced paths counted: " + node.pathsDisplaced());

            // Item 7: 50 ICE-TCP connections from one address, none of which sends a check.
            long perAddress0 = node.tcpRefusals().count(TcpRefusal.PER_ADDRESS_LIMIT);
            List<SocketChannel> flood = new ArrayList<>();
            try {
                for (int i = 0; i < 50; i++) {
                    flood.add(SocketChannel.open(new InetSocketAddress("127.0.0.1", node.tcpPort())));
                }
                Await.until(TIMEOUT, () -> node.tcpRefusals().count(TcpRefusal.PER_ADDRESS_LIMIT) - perAddress0 >= 42,
                        () -> "connections beyond 8 unchecked ones refused: "
                                + (node.tcpRefusals().count(TcpRefusal.PER_ADDRESS_LIMIT) - perAddress0));
            } finally {
                for (SocketChannel c : flood) {
                    c.close();
                }
            }
            // The meeting goes on long enough after the attacks for 0.1 % to be a packet or more.
            Await.until(TIMEOUT, () -> meeting.rounds() >= 1000, () -> "the meeting's rounds: " + meeting.rounds());
            rounds = meeting.rounds();
        }
        long sent = 2 * rounds; // one audio and one video packet per round, at least (a last round may be partial)
        // The last packets are on their way: wait for all of them, up to a deadline, then count what came.
        try {
            Await.until(Duration.ofSeconds(5), () -> got(bob, ada) >= sent && got(ada, bob) >= sent, "every packet");
        } catch (AssertionError someLost) {
            // measured below
        }
        long bobGot = got(bob, ada);
        long adaGot = got(ada, bob);
        System.out.printf("[adversarial] %d rounds; Bob got %d of Ada's %d+ packets, Ada %d of Bob's; addresses %d,"
                        + " displaced %d; heap after GC %d -> %d kB%n", rounds, bobGot, sent, adaGot, node.addressCount(),
                node.pathsDisplaced(), heapBefore / 1024, heapAfterGc() / 1024);
        assertTrue(bobGot >= sent * 999 / 1000, "Bob lost more than 0.1 % of Ada's packets: " + bobGot + " of " + sent);
        assertTrue(adaGot >= sent * 999 / 1000, "Ada lost more than 0.1 % of Bob's packets: " + adaGot + " of " + sent);
        assertTrue(heapAfterGc() - heapBefore < 32L * 1024 * 1024, "the node's state stayed bounded: heap after GC grew by "
                + (heapAfterGc() - heapBefore) / 1024 + " kB");
    }

    /** What {@code to} received of {@code from}'s audio and video. */
    private static long got(TestPeer to, TestPeer from) {
        return to.received().packets(from.videoSsrc) + to.received().packets(from.audioSsrc);
    }

    private static long heapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
