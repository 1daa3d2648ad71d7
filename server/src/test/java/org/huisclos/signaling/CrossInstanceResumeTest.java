package org.huisclos.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A small cluster in one JVM (two signaling instances, one media node, each its own Hazelcast
 * member and clustered Vert.x): a participant that joined on one instance resumes on the other
 * without a new allocation and without a release; forged tokens fail; a resume elsewhere makes
 * the old instance stand down.
 */
class CrossInstanceResumeTest {
    private static TestCluster cluster;
    private static Huisclos one;
    private static Huisclos two;
    private static Huisclos media;
    private static Vertx clients;
    /** Every request the media node received: {action, participant}. */
    private static final List<JsonObject> mediaRequests = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = new TestCluster("resume-test", 3);
        media = cluster.start(2, "media", "media-resume");
        one = cluster.start(0, "signaling", null);
        two = cluster.start(1, "signaling", null);
        media.vertx().eventBus().addInboundInterceptor(ctx -> {
            if (ctx.message().address().equals(Addresses.mediaNode("media-resume"))
                    && ctx.message().body() instanceof JsonObject body) {
                mediaRequests.add(body.copy());
            }
            ctx.next();
        });
        clients = Vertx.vertx();
        TestCluster.awaitNodes(one, "media-resume");
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

    private static JsonObject join(TestClient c, String room, String name) {
        return c.join(room, name);
    }

    private static long count(String action, String participant) {
        return mediaRequests.stream().filter(r -> action.equals(r.getString(MediaRequest.ACTION))
                && participant.equals(r.getString(MediaRequest.PARTICIPANT))).count();
    }

    private static JsonObject resume(JsonObject joined, String room, String name) {
        return new JsonObject().put("type", "resume").put("participant", joined.getString("participant"))
                .put("token", joined.getString("token")).put("room", room).put("name", name)
                .put("audio", true).put("video", true);
    }

    @Test
    void aParticipantResumesOnAnotherInstanceWithoutANewEndpoint() throws Exception {
        TestClient ada = client(one);
        JsonObject joined = join(ada, "cross-room", "Ada");
        String id = joined.getString("participant");
        JsonObject offer = ada.expect("offer");
        try (TestClient grace = client(one)) {
            String graceId = join(grace, "cross-room", "Grace").getString("participant");
            grace.expect("participant", m -> id.equals(m.getString("participant")));
            ada.expect("participant", m -> graceId.equals(m.getString("participant")));
            ada.close();

            long started = System.nanoTime();
            try (TestClient again = client(two)) {
                again.send(resume(joined, "cross-room", "Ada"));
                assertEquals(id, again.expect("resumed").getString("participant"));
                System.out.printf("resume on the other instance took %.1f ms%n", (System.nanoTime() - started) / 1e6);
                // The roster entry and the offer come in either order (docs/protocol.md).
                TestClient.await("the roster and the outstanding offer come again", () -> again.received.stream()
                        .anyMatch(m -> "offer".equals(m.getString("type"))) && again.received.stream()
                        .anyMatch(m -> graceId.equals(m.getString("participant"))));
                JsonObject entry = again.received.stream().filter(m -> graceId.equals(m.getString("participant")))
                        .findFirst().orElseThrow();
                assertEquals("participant", entry.getString("type"));
                assertEquals("Grace", entry.getString("name"));
                JsonObject resent = again.received.stream().filter(m -> "offer".equals(m.getString("type")))
                        .findFirst().orElseThrow();
                assertEquals(offer.getInteger("version"), resent.getInteger("version"), "the same offer again");
                assertEquals(offer.getString("sdp"), resent.getString("sdp"));

                // Mute goes through instance 2 to Grace on instance 1, as an update.
                again.send(new JsonObject().put("type", "mute").put("audio", false).put("video", true));
                grace.expect("participant", m -> id.equals(m.getString("participant")) && !m.getBoolean("audio"));
                // The answer goes through instance 2 to the media node (which refuses a fake one).
                again.send(new JsonObject().put("type", "answer").put("version", resent.getInteger("version"))
                        .put("sdp", "v=0 not a real answer"));
                assertEquals("answer", again.expectError("bad-answer").getString("request"));
                again.assertAlive();

                assertEquals(1, count(MediaRequest.ALLOCATE, id), "one allocation only");
                assertEquals(0, count(MediaRequest.RELEASE, id), "no release");
                assertEquals(1, count(MediaRequest.RESUME, id));
                assertTrue(grace.received.stream().noneMatch(m -> "left".equals(m.getString("type"))));
            }
        }
    }

    @Test
    void forgedOrModifiedTokensFail() throws Exception {
        TestClient ada = client(one);
        JsonObject joined = join(ada, "forge-room", "Ada");
        String id = joined.getString("participant");
        ada.close();
        String token = joined.getString("token");
        String[] parts = token.split("\\.", 3);
        String flipped = parts[1].charAt(0) == 'A' ? "B" + parts[1].substring(1) : "A" + parts[1].substring(1);
        try (TestClient thief = client(two)) {
            for (JsonObject bad : List.of(
                    resume(joined, "forge-room", "Ada").put("token", parts[0] + "." + flipped + "." + parts[2]),
                    resume(joined, "forge-room", "Ada").put("token", parts[0] + "." + parts[1] + ".other-node"),
                    resume(joined, "forge-room", "Ada").put("token", "v1.x"),
                    resume(joined, "forge-room", "Ada").put("token", ""),
                    resume(joined, "another-room", "Ada"),
                    resume(joined, "forge-room", "Ada").put("participant", "p0123456789abcdef"),
                    new JsonObject().put("type", "resume").put("participant", id).put("token", token))) {
                thief.send(bad);
                assertEquals("resume", thief.expectError("resume-failed").getString("request"), bad::encode);
            }
            thief.assertAlive();
        }
        assertEquals(0, count(MediaRequest.RESUME, id), "a bad token never reaches the media node");
        try (TestClient owner = client(two)) {
            owner.send(resume(joined, "forge-room", "Ada"));
            owner.expect("resumed");
        }
    }

    @Test
    void aTokenTakesTheSessionOverOnceOnAnyInstance() throws Exception {
        TestClient ada = client(one);
        JsonObject joined = join(ada, "once-room", "Ada");
        ada.close();
        try (TestClient owner = client(two); TestClient thief = client(one)) {
            owner.send(resume(joined, "once-room", "Ada"));
            String next = owner.expect("resumed").getString("token");
            assertNotEquals(joined.getString("token"), next, "resumed brings the next token");
            // The same token again, on the instance that no longer holds the participant and on the one that does.
            thief.send(resume(joined, "once-room", "Ada"));
            assertEquals("used", thief.expectError("resume-failed").getString("reason"));
            try (TestClient thief2 = client(two)) {
                thief2.send(resume(joined, "once-room", "Ada"));
                assertEquals("used", thief2.expectError("resume-failed").getString("reason"));
            }
            owner.assertAlive();
            assertEquals(null, owner.closeCode, "the owner keeps its session");
            // The new token works, on the other instance too.
            try (TestClient back = client(one)) {
                back.send(resume(joined, "once-room", "Ada").put("token", next));
                back.expect("resumed");
                TestClient.await("instance 2 lets go of the owner's socket", () -> owner.closedByPeer);
            }
        }
    }

    @Test
    void afterTheGracePeriodOnTheOldInstanceAResumeElsewhereFails() throws Exception {
        one.signaling().gracePeriod(Duration.ofMillis(200));
        try {
            TestClient ada = client(one);
            JsonObject joined = join(ada, "late-room", "Ada");
            String id = joined.getString("participant");
            ada.close();
            TestClient.await("instance 1 releases the participant", () -> count(MediaRequest.RELEASE, id) == 1);
            try (TestClient late = client(two)) {
                late.send(resume(joined, "late-room", "Ada"));
                late.expectError("resume-failed");
                late.assertAlive();
                late.join("late-room", "Ada"); // and it can join again as someone new
            }
            assertEquals(1, count(MediaRequest.RELEASE, id), "nothing more to release");
        } finally {
            one.signaling().gracePeriod(SignalingServer.DEFAULT_GRACE_PERIOD);
        }
    }

    @Test
    void aResumeElsewhereMakesTheOldInstanceStandDown() throws Exception {
        one.signaling().gracePeriod(Duration.ofMillis(500));
        try {
            TestClient old = client(one);
            JsonObject joined = join(old, "takeover-room", "Ada");
            String id = joined.getString("participant");
            old.expect("offer");
            try (TestClient fresh = client(two)) {
                fresh.send(resume(joined, "takeover-room", "Ada"));
                fresh.expect("resumed");
                TestClient.await("instance 1 closes the old socket", () -> old.closedByPeer);
                assertEquals(Short.valueOf((short) 4000), old.closeCode);
                // Well past instance 1's grace period: still no release, and the participant still works.
                long until = System.nanoTime() + Duration.ofMillis(1500).toNanos();
                while (System.nanoTime() < until) {
                    assertEquals(0, count(MediaRequest.RELEASE, id), "no release after the old grace period");
                    fresh.assertAlive();
                }
                fresh.send(new JsonObject().put("type", "mute").put("audio", true).put("video", false));
                fresh.assertAlive();
                assertEquals(1, count(MediaRequest.ALLOCATE, id));
                TestClient.await("the outstanding offer came again", () -> fresh.received.stream()
                        .anyMatch(m -> "offer".equals(m.getString("type"))));
            }
        } finally {
            one.signaling().gracePeriod(SignalingServer.DEFAULT_GRACE_PERIOD);
        }
    }
}
