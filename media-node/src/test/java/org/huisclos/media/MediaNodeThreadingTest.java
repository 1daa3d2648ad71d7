package org.huisclos.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.huisclos.media.peer.Await;
import org.huisclos.media.peer.MediaPump;
import org.huisclos.media.peer.TestPeer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One owner thread for the node's endpoint and forwarding state (issue 13, item 6): a publisher on
 * ICE-TCP and one on UDP, each asking for the other's packets again with NACKs, so that each
 * stream's packet cache is stored into for one transport and read for the other. Every store, copy
 * and RTX sequence number is counted by thread ({@code ThreadOwner}); with a thread per transport
 * the caches were used from two threads.
 */
class MediaNodeThreadingTest {
    static final String NODE = "threading-node";
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    static Vertx vertx;

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void closeVertx() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void tcpAndUdpPacketsAndTheirNacksAreHandledOnOneThread() throws Exception {
        MediaNode node = new MediaNode(new MediaNodeConfig(NODE, "127.0.0.1", 0, 0, "127.0.0.1", 50, 1_000_000, false));
        String deployment = vertx.deployVerticle(node).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        Set<String> forwardingThreads = ConcurrentHashMap.newKeySet();
        node.tapForwarding((buf, off, len) -> forwardingThreads.add(Thread.currentThread().getName()));
        TestPeer tcp = TestPeer.overTcp(vertx, NODE, "room-threads", "p-tcp");
        TestPeer udp = new TestPeer(vertx, NODE, "room-threads", "p-udp");
        try {
            tcp.join();
            udp.join();
            tcp.connect(TIMEOUT);
            udp.connect(TIMEOUT);
            Await.until(TIMEOUT, () -> tcp.answeredVersion() >= 2, "the TCP peer answering with the UDP peer's streams");
            try (MediaPump pump = new MediaPump(List.of(tcp, udp), 5)) {
                Await.until(TIMEOUT, () -> udp.received().packets(tcp.videoSsrc) >= 50
                        && tcp.received().packets(udp.videoSsrc) >= 50, "video both ways");
                for (int i = 0; i < 5; i++) {
                    int fromTcp = udp.received().stats(tcp.videoSsrc).lastSeq - 3 & 0xffff;
                    int fromUdp = tcp.received().stats(udp.videoSsrc).lastSeq - 3 & 0xffff;
                    udp.sendNack(tcp.videoSsrc, fromTcp); // stored for ICE-TCP, asked for over UDP
                    tcp.sendNack(udp.videoSsrc, fromUdp); // stored for UDP, asked for over ICE-TCP
                    Await.until(TIMEOUT, () -> udp.received().retransmission(tcp.rtxSsrc, fromTcp) != null,
                            "RTX of " + fromTcp + " at the UDP peer");
                    Await.until(TIMEOUT, () -> tcp.received().retransmission(udp.rtxSsrc, fromUdp) != null,
                            "RTX of " + fromUdp + " at the TCP peer");
                }
            }
            assertTrue(node.counters().retransmissions() >= 10, "retransmissions: " + node.counters().retransmissions());
            long foreign = node.foreignThreadUses().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertEquals(0, foreign, "uses of packet caches and subscriptions from a second thread");
            assertEquals(Set.of("media-io"), forwardingThreads, "threads that forwarded");
        } finally {
            tcp.close();
            udp.close();
            vertx.undeploy(deployment).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }
}
