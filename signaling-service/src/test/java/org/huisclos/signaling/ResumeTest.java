package org.huisclos.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The grace period after a dropped WebSocket: resume, offers kept meanwhile, and expiry. */
class ResumeTest {

    @Test
    void resumeOnANewSocketWithinTheGracePeriodKeepsTheParticipant() throws Exception {
        try (Harness harness = new Harness(Duration.ofSeconds(20))) {
            TestClient ada = harness.client();
            JsonObject joined = ada.join("resume-room", "Ada");
            String id = joined.getString("participant");
            ada.expect("offer");
            ada.close();

            // While no socket is attached: a newcomer and a new offer.
            try (TestClient grace = harness.client()) {
                String graceId = grace.join("resume-room", "Grace").getString("participant");
                grace.expect("participant", m -> id.equals(m.getString("participant")));
                harness.node.offer(id);

                try (TestClient again = harness.client()) {
                    again.send(resume(id, joined.getString("token")));
                    assertEquals(id, again.expect("resumed").getString("participant"));
                    JsonObject entry = again.expect("participant");
                    assertEquals(graceId, entry.getString("participant"));
                    assertEquals("Grace", entry.getString("name"));
                    again.expect("offer", m -> m.getInteger("version") == 2);
                    assertTrue(again.received.stream().noneMatch(m -> "offer".equals(m.getString("type"))
                            && m.getInteger("version") == 1), "only the latest offer is sent");

                    again.send(new JsonObject().put("type", "answer").put("version", 2).put("sdp", "v=0 a"));
                    TestClient.await("the answer after resume reaches the media node",
                            () -> !harness.node.requests("answer", id).isEmpty());
                    again.send(new JsonObject().put("type", "mute").put("audio", false).put("video", true));
                    grace.expect("participant", m -> id.equals(m.getString("participant")) && !m.getBoolean("audio"));
                    assertTrue(harness.node.requests("release", id).isEmpty(), "no release within the grace period");
                    assertTrue(grace.received.stream().noneMatch(m -> "left".equals(m.getString("type"))));
                }
            }
        }
    }

    @Test
    void resumeWithAWrongTokenFails() throws Exception {
        try (Harness harness = new Harness(Duration.ofSeconds(20))) {
            TestClient ada = harness.client();
            JsonObject joined = ada.join("resume-room", "Ada");
            String id = joined.getString("participant");
            ada.close();
            try (TestClient thief = harness.client()) {
                String token = joined.getString("token");
                String wrong = (token.charAt(0) == 'A' ? "B" : "A") + token.substring(1);
                thief.send(resume(id, wrong));
                assertEquals("resume", thief.expectError("resume-failed").getString("request"));
                thief.send(resume(id, ""));
                thief.expectError("resume-failed");
                thief.assertAlive();
            }
            try (TestClient owner = harness.client()) {
                owner.send(resume(id, joined.getString("token")));
                owner.expect("resumed");
            }
        }
    }

    @Test
    void afterTheGracePeriodTheParticipantIsReleasedAndLeaves() throws Exception {
        try (Harness harness = new Harness(Duration.ofMillis(300)); TestClient grace = harness.client()) {
            TestClient ada = harness.client();
            JsonObject joined = ada.join("short-grace", "Ada");
            String id = joined.getString("participant");
            grace.join("short-grace", "Grace");
            grace.expect("participant", m -> id.equals(m.getString("participant")));
            ada.close();

            assertEquals(id, grace.expect("left").getString("participant"));
            TestClient.await("the media node releases the participant",
                    () -> !harness.node.requests("release", id).isEmpty());
            try (TestClient late = harness.client()) {
                late.send(resume(id, joined.getString("token")));
                late.expectError("resume-failed");
            }
        }
    }

    @Test
    void aResumeTakesTheParticipantFromASocketThatLooksAlive() throws Exception {
        try (Harness harness = new Harness(Duration.ofSeconds(20))) {
            TestClient old = harness.client();
            JsonObject joined = old.join("takeover", "Ada");
            try (TestClient fresh = harness.client()) {
                fresh.send(resume(joined.getString("participant"), joined.getString("token")));
                fresh.expect("resumed");
                fresh.send(new JsonObject().put("type", "mute").put("audio", true).put("video", false));
                fresh.assertAlive();
            }
        }
    }

    @Test
    void anExpiredTokenIsRefusedWithAClearError() throws Exception {
        try (Harness harness = new Harness(Duration.ofSeconds(20), key -> io.vertx.core.Future.succeededFuture(
                FakeMediaNode.NODE_ID), s -> s.resumeTokenLifetime(Duration.ofMillis(50)))) {
            TestClient ada = harness.client();
            JsonObject joined = ada.join("expiry-room", "Ada");
            String token = joined.getString("token");
            long expires = Long.parseLong(token.split("\\.")[3]); // v2.<mac>.<generation>.<expires>.<node>
            TestClient.await("the token expires", () -> System.currentTimeMillis() > expires);
            ada.close();
            try (TestClient late = harness.client()) {
                late.send(resume(joined.getString("participant"), token));
                JsonObject error = late.expectError("resume-failed");
                assertEquals("expired", error.getString("reason"), error::encode);
                assertTrue(error.getString("message").contains("expired"), error::encode);
                late.assertAlive();
            }
        }
    }

    @Test
    void aTokenResumesOnlyOnceAndTheResumeBringsTheNextOne() throws Exception {
        try (Harness harness = new Harness(Duration.ofSeconds(20))) {
            TestClient ada = harness.client();
            JsonObject joined = ada.join("once-room", "Ada");
            String id = joined.getString("participant");
            String first = joined.getString("token");
            ada.close();
            try (TestClient owner = harness.client(); TestClient thief = harness.client()) {
                owner.send(resume(id, first));
                String next = owner.expect("resumed").getString("token");
                assertTrue(next != null && !next.equals(first), "a new token comes with resumed: " + next);

                thief.send(resume(id, first)); // the leaked token, once more
                JsonObject error = thief.expectError("resume-failed");
                assertEquals("used", error.getString("reason"), error::encode);
                owner.assertAlive();
                assertTrue(owner.closeCode == null, "the owner keeps its session");

                // A pong refreshes the token (same session); that one resumes, once.
                owner.send(new JsonObject().put("type", "ping"));
                String refreshed = owner.expect("pong").getString("token");
                assertTrue(refreshed != null && refreshed.startsWith("v2."), "pong carries the token: " + refreshed);
                try (TestClient again = harness.client()) {
                    again.send(resume(id, refreshed));
                    again.expect("resumed");
                    TestClient.await("the owner's socket is closed", () -> owner.closedByPeer);
                    thief.send(resume(id, next));
                    assertEquals("used", thief.expectError("resume-failed").getString("reason"));
                }
            }
        }
    }

    private static JsonObject resume(String participant, String token) {
        return new JsonObject().put("type", "resume").put("participant", participant).put("token", token);
    }
}
