package org.huisclos.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.huisclos.media.peer.Await;
import org.huisclos.media.peer.Offer;
import org.huisclos.media.peer.StunRequests;
import org.huisclos.media.peer.TestPeer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A participant knows its own ICE password, so it can pass STUN checks from as many source ports
 * as it likes. The node keeps at most 8 paths per endpoint, and the address table follows: an
 * address pushed out no longer leads to the endpoint, and none is left once the participant goes.
 */
class AddressTableBoundTest {
    private static final String NODE = "address-bound-node";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final int SOURCES = 40;
    private Vertx vertx;
    private MediaNode node;
    private String deployment;

    @BeforeEach
    void deploy() throws Exception {
        vertx = Vertx.vertx();
        node = new MediaNode(new MediaNodeConfig(NODE, "127.0.0.1", 0, "127.0.0.1", 50, 1_000_000));
        deployment = vertx.deployVerticle(node).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void close() throws Exception {
        vertx.undeploy(deployment).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void checksFromManySourcePortsKeepAtMostEightAddressesAndNoneAfterLeaving() throws Exception {
        try (TestPeer peer = new TestPeer(vertx, NODE, "room", "pA")) {
            peer.join();
            peer.connectIce(TIMEOUT);
            assertEquals(1, node.addressCount(), "the peer's own address");
            Offer offer = peer.firstOffer();
            InetSocketAddress server = offer.candidate();
            byte[] check = StunRequests.forged(offer.attribute("ice-ufrag"), "attacker", offer.attribute("ice-pwd"));
            int answered = 0;
            for (int i = 0; i < SOURCES; i++) {
                try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
                    socket.setSoTimeout(2_000);
                    socket.send(new DatagramPacket(check, check.length, server));
                    byte[] buf = new byte[1500];
                    try {
                        socket.receive(new DatagramPacket(buf, buf.length));
                        answered++; // a success response: the node recorded this source as a path
                    } catch (SocketTimeoutException e) {
                        // not answered: counted below
                    }
                }
                assertTrue(node.addressCount() <= 8, "after " + (i + 1) + " sources: " + node.addressCount() + " addresses");
            }
            assertEquals(SOURCES, answered, "every signed check from a new source is answered (and recorded)");
            assertEquals(8, node.addressCount(), "the 8 newest sources lead to the endpoint, no more");
            // The peer's own path and the first 7 sources fit; every later source displaced one, counted.
            assertEquals(SOURCES + 1 - 8, node.pathsDisplaced(), "displaced paths counted for metrics");
            peer.leave();
            Await.until(TIMEOUT, () -> node.addressCount() == 0, () -> "addresses left after leaving: " + node.addressCount());
        }
    }
}
