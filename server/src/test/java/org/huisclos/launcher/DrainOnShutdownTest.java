package org.huisclos.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** SIGTERM on a media node (the shutdown hook's {@link Huisclos#shutdown()}): it drains, its participants move, then it stops. */
class DrainOnShutdownTest {
    private TestCluster cluster;
    private WebSocket socket;

    @AfterEach
    void stop() {
        if (socket != null) {
            socket.abort();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aMediaNodeDrainsBeforeItStops() throws Exception {
        cluster = new TestCluster("drain-on-shutdown", 3);
        Huisclos signaling = cluster.start(0, "signaling", null);
        Huisclos a = cluster.start(1, "media", "a-node");
        cluster.start(2, "media", "b-node");
        TestCluster.awaitNodes(signaling, "a-node", "b-node");

        List<String> received = new CopyOnWriteArrayList<>();
        socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + signaling.httpPort() + "/ws"), new WebSocket.Listener() {
                    private final StringBuilder text = new StringBuilder();

                    @Override
                    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                        text.append(data);
                        if (last) {
                            received.add(text.toString());
                            text.setLength(0);
                        }
                        ws.request(1);
                        return null;
                    }
                }).get(5, TimeUnit.SECONDS);
        socket.sendText("{\"type\":\"join\",\"v\":1,\"room\":\"sigterm-room\",\"name\":\"Ada\",\"audio\":true,\"video\":true}", true);
        TestCluster.await("Ada has her first offer", Duration.ofSeconds(10),
                () -> received.stream().anyMatch(m -> m.contains("\"offer\"")));
        assertEquals(1, a.mediaNode().load().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS)[0]);

        long started = System.nanoTime();
        a.shutdown();
        long tookMs = (System.nanoTime() - started) / 1_000_000;
        assertTrue(received.stream().anyMatch(m -> m.contains("\"media-moved\"")),
                "Ada was moved before the node stopped: " + received);
        assertTrue(tookMs < Huisclos.DRAIN_TIMEOUT.toMillis(), "the drain ended early, when the node was empty: " + tookMs);
        TestCluster.await("Ada has the new node's offer", Duration.ofSeconds(10),
                () -> received.stream().filter(m -> m.contains("\"offer\"")).count() >= 2);
        assertEquals("b-node", signaling.registry().nodes().stream().filter(n -> n.participants() > 0)
                .findFirst().map(n -> n.nodeId()).orElse("b-node"));
        System.out.println("DRAIN (SIGTERM path): shutdown with one participant took " + tookMs + " ms");
    }
}
