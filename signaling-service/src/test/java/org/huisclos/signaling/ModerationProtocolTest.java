package org.huisclos.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.huisclos.registry.RoomKeys;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Moderation, room password and lobby (docs/protocol.md) over real WebSockets, against a fake media
 * node, with two signaling servers sharing one event bus and one {@link RoomAccess}: participants
 * on either instance moderate one another.
 */
class ModerationProtocolTest {
    private static final Duration SLOW = Duration.ofSeconds(20); // Argon2 on a busy 2-core machine
    private static final AtomicInteger ROOMS = new AtomicInteger();
    private static Vertx vertx;
    private static FakeMediaNode node;
    private static SignalingServer one;
    private static SignalingServer two;
    private static int portOne;
    private static int portTwo;
    private static RoomKeys keys;
    private static RoomAccess access;

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        node = new FakeMediaNode(vertx);
        node.await();
        keys = RoomKeys.random();
        access = RoomAccess.inMemory();
        byte[] secret = Credentials.newSecret();
        one = new SignalingServer(vertx, 0, "127.0.0.1", keys, k -> Future.succeededFuture(FakeMediaNode.NODE_ID))
                .roomAccess(access).sessionSecret(secret);
        two = new SignalingServer(vertx, 0, "127.0.0.1", keys, k -> Future.succeededFuture(FakeMediaNode.NODE_ID))
                .roomAccess(access).sessionSecret(secret);
        portOne = one.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        portTwo = two.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() throws Exception {
        one.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        two.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static String room() {
        return "mod-" + ROOMS.incrementAndGet();
    }

    private static TestClient onOne() throws Exception {
        return new TestClient(vertx, portOne);
    }

    private static TestClient onTwo() throws Exception {
        return new TestClient(vertx, portTwo);
    }

    private static JsonObject join(String room, String name, String password) {
        JsonObject join = new JsonObject().put("type", "join").put("v", 1).put("room", room).put("name", name)
                .put("audio", true).put("video", true);
        if (password != null) {
            join.put("password", password);
        }
        return join;
    }

    private static JsonObject command(String type, String participant) {
        return new JsonObject().put("type", type).put("participant", participant);
    }

    private static String id(JsonObject joined) {
        return joined.getString("participant");
    }

    private static void expectModerator(TestClient c, String moderator) {
        c.expect("moderator", m -> moderator.equals(m.getString("participant")));
    }

    @Test
    void theFirstParticipantModeratesAndEveryoneKnows() throws Exception {
        String room = room();
        try (TestClient ada = onOne(); TestClient grace = onTwo()) {
            String adaId = id(ada.join(room, "Ada"));
            expectModerator(ada, adaId);
            JsonObject settings = ada.expect("room-settings");
            assertEquals(false, settings.getBoolean("lobby"));
            assertEquals(false, settings.getBoolean("password"));
            grace.join(room, "Grace");
            expectModerator(grace, adaId);
        }
    }

    @Test
    void nonModeratorsGetNotModeratorForEveryCommand() throws Exception {
        String room = room();
        try (TestClient ada = onOne(); TestClient grace = onTwo()) {
            String adaId = id(ada.join(room, "Ada"));
            expectModerator(ada, adaId);
            grace.join(room, "Grace");
            grace.expect("participant", m -> adaId.equals(m.getString("participant")));
            for (JsonObject c : List.of(command("mute-participant", adaId), command("remove-participant", adaId),
                    command("hand-over", adaId), new JsonObject().put("type", "set-password").put("password", "x"),
                    new JsonObject().put("type", "lobby").put("on", true), command("admit", "p0123456789abcdef"),
                    command("refuse", "p0123456789abcdef"))) {
                grace.send(c);
                JsonObject error = grace.expectError("not-moderator");
                assertEquals(c.getString("type"), error.getString("request"));
            }
            grace.assertAlive();
            assertTrue(ada.received.stream().noneMatch(m -> "muted".equals(m.getString("type"))
                    || "removed".equals(m.getString("type"))));
            // Not in a room at all: not-joined.
            try (TestClient stranger = onOne()) {
                stranger.send(command("mute-participant", adaId));
                stranger.expectError("not-joined");
            }
        }
    }

    @Test
    void theModeratorMutesAParticipantOnAnotherInstanceWhoMayUnmuteItself() throws Exception {
        String room = room();
        try (TestClient ada = onOne(); TestClient grace = onTwo()) {
            String adaId = id(ada.join(room, "Ada"));
            expectModerator(ada, adaId);
            String graceId = id(grace.join(room, "Grace"));
            ada.expect("participant", m -> graceId.equals(m.getString("participant")));

            ada.send(command("mute-participant", graceId));
            assertEquals(adaId, grace.expect("muted").getString("by"));
            ada.expect("participant", m -> graceId.equals(m.getString("participant"))
                    && Boolean.FALSE.equals(m.getBoolean("audio")));

            grace.send(new JsonObject().put("type", "mute").put("audio", true).put("video", true));
            ada.expect("participant", m -> graceId.equals(m.getString("participant"))
                    && Boolean.TRUE.equals(m.getBoolean("audio")));

            ada.send(command("mute-participant", "p0123456789abcdef"));
            ada.expectError("unknown-participant");
        }
    }

    @Test
    void moderationIsHandedOverAndPassesOnWhenTheModeratorLeaves() throws Exception {
        String room = room();
        try (TestClient ada = onOne(); TestClient grace = onTwo(); TestClient alan = onOne()) {
            String adaId = id(ada.join(room, "Ada"));
            expectModerator(ada, adaId);
            String graceId = id(grace.join(room, "Grace"));
            ada.expect("participant", m -> graceId.equals(m.getString("participant")));

            ada.send(command("hand-over", graceId));
            expectModerator(ada, graceId);
            expectModerator(grace, graceId);
            ada.send(command("mute-participant", graceId));
            ada.expectError("not-moderator");

            String alanId = id(alan.join(room, "Alan"));
            expectModerator(alan, graceId);
            grace.expect("participant", m -> alanId.equals(m.getString("participant")));
            grace.send(new JsonObject().put("type", "leave"));
            // Ada has been there longest: she moderates again.
            expectModerator(ada, adaId);
            expectModerator(alan, adaId);
        }
    }

    @Test
    void aRemovedParticipantLosesItsEndpointAtOnceAndCannotComeBackUnlessAdmitted() throws Exception {
        String room = room();
        try (TestClient ada = onOne(); TestClient grace = onTwo()) {
            String adaId = id(ada.join(room, "Ada"));
            expectModerator(ada, adaId);
            String graceId = id(grace.join(room, "Grace"));
            ada.expect("participant", m -> graceId.equals(m.getString("participant")));

            ada.send(command("remove-participant", graceId));
            grace.expect("removed");
            TestClient.await("grace's socket is closed with 4001", () -> grace.closeCode != null);
            assertEquals((short) 4001, grace.closeCode);
            TestClient.await("the media node releases grace", () -> !node.requests("release", graceId).isEmpty());
            ada.expect("room-settings", m -> m.getBoolean("lobby")); // a removal turns the lobby on
            assertEquals(graceId, ada.expect("left").getString("participant"));
        }
    }

    @Test
    void theLobbyHoldsNewcomersUntilTheModeratorAdmitsOrRefusesThem() throws Exception {
        String room = room();
        try (TestClient ada = onOne(); TestClient grace = onTwo(); TestClient alan = onOne()) {
            String adaId = id(ada.join(room, "Ada"));
            expectModerator(ada, adaId);
            ada.send(new JsonObject().put("type", "lobby").put("on", true));
            ada.expect("room-settings", m -> m.getBoolean("lobby"));

            grace.send(join(room, "Grace", null));
            grace.expect("lobby");
            JsonObject knock = ada.expect("knock");
            assertEquals("Grace", knock.getString("name"));
            String graceId = knock.getString("participant");
            assertTrue(node.requests("allocate", graceId).isEmpty(), "nothing allocated before admission");
            grace.assertAlive();
            assertTrue(grace.received.stream().noneMatch(m -> "participant".equals(m.getString("type"))
                    || "offer".equals(m.getString("type"))), "a waiting client learns nothing of the room");

            ada.send(command("refuse", graceId));
            grace.expect("refused");
            grace.send(join(room, "Grace", null));
            grace.expect("lobby");
            String secondId = ada.expect("knock").getString("participant");
            ada.send(command("admit", secondId));
            assertEquals(secondId, id(grace.expect("joined")));
            // In any order: the offer and the room's moderator.
            TestClient.await("grace gets an offer and learns the moderator", () -> grace.received.stream()
                    .anyMatch(m -> "offer".equals(m.getString("type"))) && grace.received.stream()
                    .anyMatch(m -> "moderator".equals(m.getString("type")) && adaId.equals(m.getString("participant"))));
            ada.expect("participant", m -> secondId.equals(m.getString("participant")));

            // A waiting client who leaves withdraws its knock.
            alan.send(join(room, "Alan", null));
            alan.expect("lobby");
            String alanId = ada.expect("knock").getString("participant");
            alan.send(new JsonObject().put("type", "leave"));
            assertEquals(alanId, ada.expect("knock-cancelled").getString("participant"));
            ada.send(command("admit", alanId));
            ada.expectError("unknown-participant");

            // Lobby off: whoever waits goes in.
            alan.send(join(room, "Alan", null));
            alan.expect("lobby");
            ada.expect("knock");
            ada.send(new JsonObject().put("type", "lobby").put("on", false));
            alan.expect("joined");
        }
    }

    @Test
    void aRemovedParticipantWaitsInTheLobbyWhenItComesBack() throws Exception {
        String room = room();
        try (TestClient ada = onOne(); TestClient grace = onTwo()) {
            String adaId = id(ada.join(room, "Ada"));
            expectModerator(ada, adaId);
            String graceId = id(grace.join(room, "Grace"));
            ada.expect("participant", m -> graceId.equals(m.getString("participant")));
            ada.send(command("remove-participant", graceId));
            grace.expect("removed");
            try (TestClient back = onTwo()) {
                back.send(join(room, "Grace", null));
                back.expect("lobby");
                String waitingId = ada.expect("knock").getString("participant");
                ada.send(command("admit", waitingId));
                back.expect("joined");
            }
        }
    }

    @Test
    void aPasswordLocksTheRoomAndOnlyItsHashIsKept() throws Exception {
        String room = room();
        try (TestClient ada = onOne(); TestClient grace = onTwo()) {
            String adaId = id(ada.join(room, "Ada"));
            expectModerator(ada, adaId);
            ada.expect("room-settings");
            ada.send(new JsonObject().put("type", "set-password").put("password", "correct horse"));
            assertTrue(ada.expect("room-settings", m -> true, SLOW).getBoolean("password"));

            grace.send(join(room, "Grace", null));
            JsonObject required = grace.expectError("password-required");
            assertTrue(required.getString("message").contains("password"), required.toString());
            grace.send(join(room, "Grace", "battery staple"));
            JsonObject wrong = grace.expect("error", m -> true, SLOW);
            assertEquals("wrong-password", wrong.getString("code"));
            assertFalse(wrong.getString("message").contains("battery"), "the guess is never echoed");
            grace.send(join(room, "Grace", "correct horse"));
            grace.expect("joined", m -> true, SLOW);

            ada.send(new JsonObject().put("type", "set-password").put("password", ""));
            assertFalse(ada.expect("room-settings", m -> !m.getBoolean("password"), SLOW).getBoolean("password"));
            try (TestClient alan = onOne()) {
                alan.join(room, "Alan");
            }
        }
    }

    @Test
    void aModeratorWhoseSocketDroppedSeesTheKnocksAgainAfterResuming() throws Exception {
        String room = room();
        TestClient ada = onOne();
        JsonObject joined = ada.join(room, "Ada");
        String adaId = id(joined);
        expectModerator(ada, adaId);
        ada.send(new JsonObject().put("type", "lobby").put("on", true));
        ada.expect("room-settings", m -> m.getBoolean("lobby"));
        try (TestClient grace = onTwo()) {
            grace.send(join(room, "Grace", null));
            grace.expect("lobby");
            String graceId = ada.expect("knock").getString("participant");
            ada.close();
            try (TestClient back = onOne()) {
                back.send(new JsonObject().put("type", "resume").put("participant", adaId)
                        .put("token", joined.getString("token")).put("room", room).put("name", "Ada")
                        .put("audio", true).put("video", true));
                back.expect("resumed");
                assertEquals(graceId, back.expect("knock").getString("participant"));
                expectModerator(back, adaId);
                back.send(command("admit", graceId));
                assertEquals(graceId, id(grace.expect("joined")));
            }
        }
    }

    @Test
    void aModeratorNobodyHoldsAnyMoreIsReplacedByTheNextNewcomer() throws Exception {
        String room = room();
        // As if the moderator's instance had died and it never resumed: the room still names it.
        access.claimModerator(keys.keyOf(room), "p00000000000dead0");
        try (TestClient ada = onOne()) {
            String adaId = id(ada.join(room, "Ada"));
            expectModerator(ada, adaId);
            ada.send(new JsonObject().put("type", "lobby").put("on", true));
            ada.expect("room-settings", m -> m.getBoolean("lobby"));
        }
    }
}
