package org.huisclos.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.huisclos.contract.Addresses;
import org.huisclos.contract.MediaCodec;
import org.huisclos.contract.NodeMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Simulcast through signaling (docs/protocol.md): the page's {@code view} reaches its media node as
 * a {@code view} request, a malformed one gets an error and reaches nobody, and the node's
 * {@code layers} reaches the page.
 */
class ViewProtocolTest {
    private static Harness harness;

    @BeforeAll
    static void start() throws Exception {
        harness = new Harness(java.time.Duration.ofSeconds(20));
    }

    @AfterAll
    static void stop() throws Exception {
        harness.close();
    }

    @Test
    void aViewReachesTheMediaNodeAndMalformedOnesAreRefused() throws Exception {
        try (TestClient ada = harness.client()) {
            String id = ada.join("view-demo", "Ada").getString("participant");
            ada.expect("offer");
            ada.send(new JsonObject().put("type", "view").put("heights", new JsonObject().put("s0", 360).put("s1", 0)));
            TestClient.await("the node gets the view", () -> !harness.node.requests("view", id).isEmpty());
            JsonObject view = harness.node.requests("view", id).get(0);
            assertEquals(new JsonObject().put("s0", 360).put("s1", 0), view.getJsonObject("heights"));

            // malformed views are refused before the frequency limit counts them
            for (Object heights : List.of(5, new JsonObject().put("s0", -1), new JsonObject().put("s0", 8193),
                    new JsonObject().put("s0", 2.5), new JsonObject().put("s0", "tall"),
                    new JsonObject().put("x".repeat(17), 10))) {
                ada.send(new JsonObject().put("type", "view").put("heights", heights));
                JsonObject error = ada.expectError("bad-message");
                assertEquals("view", error.getString("request"), error.encode());
            }
            JsonObject many = new JsonObject();
            for (int i = 0; i < 257; i++) {
                many.put("s" + i, 1);
            }
            ada.send(new JsonObject().put("type", "view").put("heights", many));
            ada.expectError("bad-message");
            // two more at once, within 100 ms of each other: the second is refused (and the first too when
            // it came within 100 ms of the first view); whatever was refused never reaches the node
            ada.send(new JsonObject().put("type", "view").put("heights", new JsonObject().put("s0", 180)));
            ada.send(new JsonObject().put("type", "view").put("heights", new JsonObject().put("s0", 90)));
            ada.expectError("rate-limited");
            ada.assertAlive();
            assertTrue(harness.node.requests("view", id).size() <= 2, "at most the first of the two is taken");
            assertTrue(harness.node.requests("view", id).stream()
                    .noneMatch(v -> v.getJsonObject("heights").getInteger("s0") == 90), "the refused view is not taken");
        }
    }

    @Test
    void theNodesLayersAndSpeakerReachThePage() throws Exception {
        try (TestClient ada = harness.client()) {
            String id = ada.join("layers-demo", "Ada").getString("participant");
            ada.expect("offer");
            harness.vertx.eventBus().send(Addresses.participant(id),
                    MediaCodec.encode(new NodeMessage.Layers(FakeMediaNode.NODE_ID, List.of("q", "h"))));
            JsonObject layers = ada.expect("layers");
            assertEquals(new JsonArray().add("q").add("h"), layers.getJsonArray("active"));
            assertTrue(!layers.containsKey("node"), "the node's id stays on the server: " + layers.encode());
            harness.vertx.eventBus().send(Addresses.participant(id),
                    MediaCodec.encode(new NodeMessage.Speaker(FakeMediaNode.NODE_ID, "pother")));
            JsonObject speaker = ada.expect("speaker");
            assertEquals("pother", speaker.getString("participant"));
            assertTrue(!speaker.containsKey("node"), speaker.encode());
        }
    }
}
