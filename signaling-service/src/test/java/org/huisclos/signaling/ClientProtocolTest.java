package org.huisclos.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.huisclos.turn.TurnCredentials;

/** join, roster, mute, leave and answers over real WebSockets, against a fake media node. */
class ClientProtocolTest {
    private static Harness harness;

    @BeforeAll
    static void start() throws Exception {
        harness = new Harness(Duration.ofSeconds(20));
    }

    @AfterAll
    static void stop() throws Exception {
        harness.close();
    }

    @Test
    void joinIsAnsweredByJoinedThenTheMediaNodesOffer() throws Exception {
        try (TestClient ada = harness.client()) {
            JsonObject joined = ada.join("join-demo", "Ada");
            String id = joined.getString("participant");
            assertTrue(id.matches("p[0-9a-f]{16}"), id);
            assertTrue(joined.getString("token").matches("v2\\.[A-Za-z0-9_-]{43}\\.0\\.[0-9]+\\..+"), joined.getString("token"));
            assertEquals("join-demo", joined.getString("room"));

            JsonObject offer = ada.expect("offer");
            assertEquals(1, offer.getInteger("version"));
            assertEquals("v=0 fake 1", offer.getString("sdp"));
            assertEquals("pother", offer.getJsonArray("tracks").getJsonObject(0).getString("participant"));
            assertFalse(offer.containsKey("iceServers"), "no TURN configured: the offer is unchanged");

            JsonObject allocate = harness.node.requests("allocate", id).get(0);
            assertEquals(harness.roomKeys.keyOf("join-demo"), allocate.getString("room"),
                    "the media node sees the room key, never the name");
        }
    }

    @Test
    void twoParticipantsLearnOfEachOtherTheirMuteStateAndDeparture() throws Exception {
        try (TestClient ada = harness.client(); TestClient grace = harness.client()) {
            String adaId = ada.join("pair", "Ada").getString("participant");
            String graceId = grace.join("pair", "Grace").getString("participant");

            JsonObject adaSeen = grace.expect("participant", m -> adaId.equals(m.getString("participant")));
            assertEquals("Ada", adaSeen.getString("name"));
            assertEquals(true, adaSeen.getBoolean("audio"));
            JsonObject graceSeen = ada.expect("participant", m -> graceId.equals(m.getString("participant")));
            assertEquals("Grace", graceSeen.getString("name"));
            assertFalse(graceSeen.containsKey("joined"), "the client sees plain roster entries");

            ada.send(new JsonObject().put("type", "mute").put("audio", false).put("video", true));
            JsonObject muted = grace.expect("participant", m -> adaId.equals(m.getString("participant")));
            assertEquals(false, muted.getBoolean("audio"));
            assertEquals(true, muted.getBoolean("video"));

            grace.send(new JsonObject().put("type", "leave"));
            assertEquals(graceId, ada.expect("left").getString("participant"));
            TestClient.await("the media node releases the leaver",
                    () -> !harness.node.requests("release", graceId).isEmpty());

            ada.assertAlive();
            grace.assertAlive();
            assertTrue(ada.received.stream().noneMatch(m -> "participant".equals(m.getString("type"))
                    && adaId.equals(m.getString("participant"))), "own events are not echoed");
            // After leave, the socket can join again.
            assertNotEquals(graceId, grace.join("pair", "Grace").getString("participant"));
        }
    }

    @Test
    void aParticipantOfAnotherRoomSeesNothing() throws Exception {
        try (TestClient ada = harness.client(); TestClient grace = harness.client();
                TestClient alan = harness.client()) {
            String alanId = alan.join("elsewhere", "Alan").getString("participant");
            ada.join("private-room", "Ada");
            grace.join("private-room", "Grace");
            ada.expect("participant");
            grace.expect("participant");
            grace.send(new JsonObject().put("type", "leave"));
            ada.expect("left");

            alan.assertAlive();
            // Alan's own room's settings (he moderates it), nothing of the other room.
            List<String> types = alan.received.stream().map(m -> m.getString("type"))
                    .filter(t -> !t.equals("moderator") && !t.equals("room-settings")).toList();
            assertEquals(List.of("joined", "offer", "pong"), types);
            assertTrue(alan.received.stream().filter(m -> "moderator".equals(m.getString("type")))
                    .allMatch(m -> alanId.equals(m.getString("participant"))));
        }
    }

    @Test
    void answersReachTheMediaNodeOnlyForTheOutstandingOffer() throws Exception {
        try (TestClient ada = harness.client()) {
            String id = ada.join("answers", "Ada").getString("participant");
            ada.expect("offer");

            ada.send(answer(7, "v=0 wrong"));
            assertEquals("answer", ada.expectError("stale-answer").getString("request"));

            ada.send(answer(1, "v=0 answer"));
            TestClient.await("the media node gets the answer", () -> !harness.node.requests("answer", id).isEmpty());
            JsonObject relayed = harness.node.requests("answer", id).get(0);
            assertEquals(1, relayed.getInteger("version"));
            assertEquals("v=0 answer", relayed.getString("sdp"));

            ada.send(answer(1, "v=0 again"));
            ada.expectError("stale-answer");
            assertEquals(1, harness.node.requests("answer", id).size(), "stale answers are not relayed");

            harness.node.offer(id);
            ada.expect("offer", m -> m.getInteger("version") == 2);
            ada.send(answer(2, "reject"));
            JsonObject bad = ada.expectError("bad-answer");
            assertTrue(bad.getString("message").contains("no DTLS fingerprint"), bad.encode());
            // A refused answer leaves the offer outstanding: a corrected answer may follow.
            ada.send(answer(2, "v=0 fixed"));
            TestClient.await("the corrected answer arrives", () -> harness.node.requests("answer", id).size() == 3);
            ada.assertAlive();
        }
    }

    @Test
    void aSecondJoinOnTheSameSocketIsRefused() throws Exception {
        try (TestClient ada = harness.client()) {
            ada.join("twice", "Ada");
            ada.send(new JsonObject().put("type", "join").put("v", 1).put("room", "other").put("name", "Ada")
                    .put("audio", true).put("video", true));
            ada.expectError("already-joined");
            ada.assertAlive();
        }
    }

    private static JsonObject answer(int version, String sdp) {
        return new JsonObject().put("type", "answer").put("version", version).put("sdp", sdp);
    }

    @Test
    void withTurnEveryOfferCarriesIceServersWithAFreshCredential() throws Exception {
        String secret = "turn-secret-0123456789";
        List<String> urls = List.of("turn:127.0.0.1:3478?transport=udp", "turns:turn.example.org:443?transport=tcp");
        TurnCredentials turn = new TurnCredentials(urls, secret, Duration.ofSeconds(600));
        try (Harness h = new Harness(Duration.ofSeconds(20), key -> Future.succeededFuture(FakeMediaNode.NODE_ID),
                s -> s.turn(turn))) {
            TestClient ada = h.client();
            JsonObject joined = ada.join("turn-room", "Ada Lovelace");
            String id = joined.getString("participant");
            JsonObject first = ada.expect("offer");
            h.node.offer(id);
            JsonObject second = ada.expect("offer", m -> m.getInteger("version") == 2);
            ada.close();
            JsonObject resent;
            // The outstanding offer, sent again after a resume, comes with a credential of its own.
            try (TestClient again = h.client()) {
                again.send(new JsonObject().put("type", "resume").put("participant", id)
                        .put("token", joined.getString("token")));
                again.expect("resumed");
                resent = again.expect("offer", m -> m.getInteger("version") == 2);
            }
            long now = Instant.now().getEpochSecond();
            Set<String> usernames = new HashSet<>();
            for (JsonObject offer : List.of(first, second, resent)) {
                JsonArray servers = offer.getJsonArray("iceServers");
                assertEquals(1, servers.size(), offer.encode());
                JsonObject server = servers.getJsonObject(0);
                assertEquals(urls, server.getJsonArray("urls").getList());
                String username = server.getString("username");
                assertTrue(username.matches("\\d+:[A-Za-z0-9_-]{22}"), "expiry:random id, nothing else: " + username);
                long expiry = Long.parseLong(username.split(":")[0]);
                assertTrue(expiry >= now + 590 && expiry <= now + 610, "expires TTL from now: " + expiry);
                assertEquals(turn.credentialFor(username), server.getString("credential"));
                assertFalse(username.contains("Ada") || username.contains("turn-room"), "no name, no room in a TURN username");
                usernames.add(username);
            }
            assertEquals(3, usernames.size(), "each offer gets a credential of its own, a resent one too");
        }
    }
}
