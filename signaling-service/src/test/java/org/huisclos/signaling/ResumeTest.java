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

    private static JsonObject resume(String participant, String token) {
        return new JsonObject().put("type", "resume").put("participant", participant).put("token", token);
    }
}
