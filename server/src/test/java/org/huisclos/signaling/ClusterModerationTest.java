package org.huisclos.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.huisclos.contract.Addresses;
import org.huisclos.contract.MediaRequest;
import org.huisclos.launcher.Huisclos;
import org.huisclos.launcher.TestCluster;
import org.huisclos.registry.RoomRecord;
import org.huisclos.registry.RoomRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Moderation across a real cluster in one JVM (two signaling instances and a media node, each its
 * own Hazelcast member): the registry holds the moderator and the password's Argon2id hash, and
 * commands, knocks and removals reach participants on the other instance.
 */
class ClusterModerationTest {
    private static final Duration SLOW = Duration.ofSeconds(30);
    private static TestCluster cluster;
    private static Huisclos one;
    private static Huisclos two;
    private static Huisclos media;
    private static Vertx clients;
    private static final List<JsonObject> mediaRequests = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = new TestCluster("moderation-test", 3);
        media = cluster.start(2, "media", "media-moderation");
        one = cluster.start(0, "signaling", null);
        two = cluster.start(1, "signaling", null);
        media.vertx().eventBus().addInboundInterceptor(ctx -> {
            if (ctx.message().address().equals(Addresses.mediaNode("media-moderation"))
                    && ctx.message().body() instanceof JsonObject body) {
                mediaRequests.add(body.copy());
            }
            ctx.next();
        });
        clients = Vertx.vertx();
        TestCluster.awaitNodes(one, "media-moderation");
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (clients != null) {
            clients.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    private static TestClient client(Huisclos instance) throws Exception {
        return new TestClient(clients, instance.httpPort());
    }

    private static long count(String action, String participant) {
        return mediaRequests.stream().filter(r -> action.equals(r.getString(MediaRequest.ACTION))
                && participant.equals(r.getString(MediaRequest.PARTICIPANT))).count();
    }

    private static JsonObject join(String room, String name, String password) {
        JsonObject join = new JsonObject().put("type", "join").put("v", 1).put("room", room).put("name", name)
                .put("audio", true).put("video", true);
        return password == null ? join : join.put("password", password);
    }

    @Test
    void moderationPasswordLobbyAndRemovalWorkAcrossInstancesWithTheStateInTheRegistry() throws Exception {
        String room = "cluster-moderation";
        try (TestClient ada = client(one); TestClient grace = client(two); TestClient bob = client(two)) {
            String adaId = ada.join(room, "Ada").getString("participant");
            ada.expect("moderator", m -> adaId.equals(m.getString("participant")), SLOW);
            String graceId = grace.join(room, "Grace").getString("participant");
            grace.expect("moderator", m -> adaId.equals(m.getString("participant")), SLOW);
            ada.expect("participant", m -> graceId.equals(m.getString("participant")), SLOW);

            // Grace, on the other instance, is not the moderator; Ada mutes her there.
            grace.send(new JsonObject().put("type", "lobby").put("on", true));
            assertEquals("not-moderator", grace.expect("error", m -> true, SLOW).getString("code"));
            ada.send(new JsonObject().put("type", "mute-participant").put("participant", graceId));
            assertEquals(adaId, grace.expect("muted", m -> true, SLOW).getString("by"));

            // A password: only its hash is in the registry, and it holds for the other instance.
            ada.send(new JsonObject().put("type", "set-password").put("password", "correct horse"));
            ada.expect("room-settings", m -> m.getBoolean("password"), SLOW);
            grace.expect("room-settings", m -> m.getBoolean("password"), SLOW);
            var rooms = two.hazelcast().<String, RoomRecord>getMap(RoomRegistry.ROOMS);
            RoomRecord record = rooms.values().stream().filter(r -> adaId.equals(r.moderator())).findFirst().orElseThrow();
            assertTrue(record.passwordHash().startsWith("$argon2id$"), "an Argon2id hash");
            for (RoomRecord r : rooms.values()) {
                String all = r.nodes() + r.moderator() + r.passwordHash();
                for (String secret : List.of("correct horse", room, "Ada", "Grace")) {
                    assertFalse(all.contains(secret), "the registry holds '" + secret + "'");
                }
            }
            bob.send(join(room, "Bob", null));
            assertEquals("password-required", bob.expect("error", m -> true, SLOW).getString("code"));

            // Lobby: Bob (instance two) knocks at Ada (instance one), who admits him.
            ada.send(new JsonObject().put("type", "lobby").put("on", true));
            ada.expect("room-settings", m -> m.getBoolean("lobby"), SLOW);
            bob.send(join(room, "Bob", "correct horse"));
            bob.expect("lobby", m -> true, SLOW);
            String bobId = ada.expect("knock", m -> "Bob".equals(m.getString("name")), SLOW).getString("participant");
            assertEquals(0, count(MediaRequest.ALLOCATE, bobId), "nothing allocated in the lobby");
            ada.send(new JsonObject().put("type", "admit").put("participant", bobId));
            assertEquals(bobId, bob.expect("joined", m -> true, SLOW).getString("participant"));

            // Ada removes Grace (instance two): released at the media node, socket closed with 4001.
            ada.send(new JsonObject().put("type", "remove-participant").put("participant", graceId));
            grace.expect("removed", m -> true, SLOW);
            TestClient.await("grace's socket closes", () -> grace.closeCode != null);
            assertEquals((short) 4001, grace.closeCode);
            TestClient.await("grace's endpoint is released", () -> count(MediaRequest.RELEASE, graceId) == 1);
            ada.expect("left", m -> graceId.equals(m.getString("participant")), SLOW);

            // Ada hands moderation to Bob; the registry follows.
            ada.send(new JsonObject().put("type", "hand-over").put("participant", bobId));
            bob.expect("moderator", m -> bobId.equals(m.getString("participant")), SLOW);
            assertTrue(rooms.values().stream().anyMatch(r -> bobId.equals(r.moderator())));
        }
    }
}
