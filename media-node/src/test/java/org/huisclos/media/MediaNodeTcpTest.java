package org.huisclos.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.huisclos.media.peer.Await;
import org.huisclos.media.peer.MediaPump;
import org.huisclos.media.peer.TestPeer;
import org.huisclos.media.srtp.SrtpProfile;
import org.huisclos.media.transport.DropReason;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * ICE-TCP (RFC 6544) end to end on 127.0.0.1: a peer that reaches the node only over one TCP
 * connection (STUN, DTLS and SRTP framed as RFC 4571 says) exchanges media with a UDP peer, and
 * with a node whose UDP is blocked by the test switch.
 */
class MediaNodeTcpTest {
    static final String NODE = "tcp-node";
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

    void deploy(boolean udpBlocked) throws Exception {
        node = new MediaNode(new MediaNodeConfig(NODE, "127.0.0.1", 0, 0, "127.0.0.1", 50, 1_000_000, udpBlocked));
        deployment = vertx.deployVerticle(node).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void undeploy() throws Exception {
        for (TestPeer p : peers) {
            p.close();
        }
        vertx.undeploy(deployment).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    TestPeer peer(String room, String id, boolean tcp) throws Exception {
        TestPeer p = tcp ? TestPeer.overTcp(vertx, NODE, room, id) : new TestPeer(vertx, NODE, room, id);
        peers.add(p);
        return p;
    }

    static void report(String line) {
        System.out.println("[media-node-tcp] " + line);
    }

    @Test
    void aTcpPeerAndAUdpPeerExchangeMedia() throws Exception {
        deploy(false);
        TestPeer a = peer("room-t", "pA-tcp", true);
        TestPeer b = peer("room-t", "pB-udp", false);
        a.join();
        b.join();
        assertNotNull(a.firstOffer().tcpCandidate(), "the offer lists a passive TCP candidate");
        assertEquals(node.tcpPort(), a.firstOffer().tcpCandidate().getPort());
        a.connect(TIMEOUT);
        b.connect(TIMEOUT);
        report("TCP peer: STUN " + a.stunMillis() + " ms, SRTP keys " + a.connectMillis() + " ms; UDP peer: STUN "
                + b.stunMillis() + " ms, SRTP keys " + b.connectMillis() + " ms");
        assertEquals(SrtpProfile.AEAD_AES_128_GCM, a.srtpProfile());
        Await.until(TIMEOUT, () -> a.answeredVersion() >= 2, "A answering the offer with B's streams");

        exchange(a, b, 200);
        assertEquals(0, a.srtpFailures());
        assertEquals(0, a.unreadable());
        assertEquals(0, b.srtpFailures());
        assertTrue(a.receiverReports() >= 1 || a.rembs() >= 0, "RTCP reaches the TCP peer");
        assertEquals(0, node.drops().count(DropReason.TCP_BACKPRESSURE));
    }

    @Test
    void withUdpBlockedTwoTcpPeersStillGetMedia() throws Exception {
        deploy(true);
        TestPeer a = peer("room-b", "pA-b", true);
        TestPeer b = peer("room-b", "pB-b", true);
        TestPeer c = peer("room-b", "pC-udp", false);
        a.join();
        b.join();
        c.join();
        assertNotNull(a.firstOffer().candidate(), "the UDP candidate is still offered (browsers try it, then TCP)");
        a.connect(TIMEOUT);
        b.connect(TIMEOUT);
        Await.until(TIMEOUT, () -> a.answeredVersion() >= 3, "A answering the offer with B's and C's streams");
        exchange(a, b, 100);

        // A UDP-only peer gets nowhere: its checks are dropped on arrival.
        AssertionError error = null;
        try {
            c.connectIce(Duration.ofSeconds(1));
        } catch (AssertionError e) {
            error = e;
        }
        assertNotNull(error, "a UDP peer connected although UDP is blocked");
        assertTrue(node.drops().count(DropReason.UDP_BLOCKED_FOR_TEST) > 0);
    }

    @Test
    void garbageOnTheTcpPortClosesTheConnectionAndCountsIt() throws Exception {
        deploy(false);
        long before = node.drops().count(DropReason.TCP_BAD_FRAMING);
        try (SocketChannel ch = SocketChannel.open(new InetSocketAddress("127.0.0.1", node.tcpPort()))) {
            ch.write(ByteBuffer.wrap("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes()));
            ch.socket().setSoTimeout(5000);
            int n = ch.socket().getInputStream().read(new byte[16]);
            assertEquals(-1, n, "the node closed the connection");
        }
        Await.until(TIMEOUT, () -> node.drops().count(DropReason.TCP_BAD_FRAMING) == before + 1, "the drop counted");
        // And the port still serves a real peer.
        TestPeer a = peer("room-g", "pA-g", true);
        a.join();
        a.connect(TIMEOUT);
        assertTrue(a.connected());
    }

    @Test
    void aStunCheckWithAnUnknownUfragOverTcpIsDroppedNotAnswered() throws Exception {
        deploy(false);
        try (SocketChannel ch = SocketChannel.open(new InetSocketAddress("127.0.0.1", node.tcpPort()))) {
            // DTLS before any check: dropped and counted like UDP from an unchecked address.
            byte[] dtls = {22, (byte) 0xfe, (byte) 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
            ByteBuffer b = ByteBuffer.allocate(2 + dtls.length).putShort((short) dtls.length).put(dtls).flip();
            ch.write(b);
            Await.until(TIMEOUT, () -> node.drops().count(DropReason.DTLS_UNKNOWN_ADDRESS) >= 1, "DTLS dropped");
            assertTrue(ch.isOpen());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        assertFalse(node.drops().count(DropReason.TCP_BAD_FRAMING) > 0);
    }

    /** Media both ways until each side has {@code packets} of each kind from the other; reports the rate. */
    private static void exchange(TestPeer a, TestPeer b, int packets) {
        long start = System.nanoTime();
        try (MediaPump pump = new MediaPump(List.of(a, b), 5)) {
            Await.until(TIMEOUT, () -> a.received().packets(b.videoSsrc) >= packets
                            && a.received().packets(b.audioSsrc) >= packets
                            && b.received().packets(a.videoSsrc) >= packets
                            && b.received().packets(a.audioSsrc) >= packets,
                    () -> packets + " packets each way, have A<-B " + (a.received().packets(b.videoSsrc)
                            + a.received().packets(b.audioSsrc)) + ", B<-A " + (b.received().packets(a.videoSsrc)
                            + b.received().packets(a.audioSsrc)));
            report(packets + " audio + " + packets + " video packets each way in "
                    + (System.nanoTime() - start) / 1_000_000 + " ms");
        }
        MediaNodeIntegrationTest.assertSameBytes(a, b, "video");
        MediaNodeIntegrationTest.assertSameBytes(b, a, "audio");
    }
}
