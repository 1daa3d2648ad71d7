package org.huisclos.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Password guesses are limited per client address (through a trusted proxy's X-Forwarded-For here,
 * all on loopback), a stranger's wrong guesses do not lock out a member with the right password,
 * and {@code set-password} is limited per room (docs/protocol.md, Moderation, password and lobby).
 */
class PasswordLimitsTest {
    private static final Duration SLOW = Duration.ofSeconds(20); // Argon2 on a busy 2-core machine
    private static final AtomicInteger ROOMS = new AtomicInteger();
    private static Harness harness;

    @BeforeAll
    static void start() throws Exception {
        harness = new Harness(Duration.ofSeconds(20), key -> Future.succeededFuture(FakeMediaNode.NODE_ID),
                s -> s.clientAddresses(ClientAddresses.trusting("127.0.0.1,::1")));
    }

    @AfterAll
    static void stop() throws Exception {
        harness.close();
    }

    private static TestClient from(String address) throws Exception {
        return new TestClient(harness.vertx, harness.port, address);
    }

    private static JsonObject join(String room, String name, String password) {
        return new JsonObject().put("type", "join").put("v", 1).put("room", room).put("name", name)
                .put("audio", true).put("video", true).put("password", password);
    }

    /** A new room whose moderator (from {@code address}) set the password "right". */
    private static TestClient roomWithPassword(String room, String address) throws Exception {
        TestClient ada = from(address);
        ada.join(room, "Ada");
        ada.send(new JsonObject().put("type", "set-password").put("password", "right"));
        ada.expect("room-settings", m -> m.getBoolean("password"), SLOW);
        return ada;
    }

    /** The value of one series at /metrics (NaN: absent). */
    private static double metric(String series) throws Exception {
        String body = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + harness.port + "/metrics")).timeout(Duration.ofSeconds(5))
                .build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        assertTrue(!body.contains("limits-") && !body.contains("203.0.113") && !body.contains("198.51.100"),
                "no room name, no address in the metrics");
        for (String line : body.split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1));
            }
        }
        return Double.NaN;
    }

    private static JsonObject reply(TestClient c) {
        return c.expect("joined-or-error", m -> true, SLOW);
    }

    @Test
    void aStrangersWrongGuessesDoNotLockOutAMemberWithTheRightPassword() throws Exception {
        String room = "limits-" + ROOMS.incrementAndGet();
        try (TestClient ada = roomWithPassword(room, "198.51.100.1"); TestClient eve = from("203.0.113.66");
             TestClient alan = from("198.51.100.2"); TestClient bob = from("198.51.100.3")) {
            for (int i = 0; i < GuessLimiter.LIMIT; i++) {
                eve.send(join(room, "Eve", "guess" + i));
                assertEquals("wrong-password", reply(eve).getString("code"));
            }
            eve.send(join(room, "Eve", "right")); // even the right one: Eve's address has guessed enough
            JsonObject limited = reply(eve);
            assertEquals("too-many-attempts", limited.getString("code"), limited::encode);
            assertEquals("client", limited.getString("reason"));
            assertTrue(limited.getLong("retryAfter") > 0 && limited.getLong("retryAfter") <= 60, limited::encode);

            alan.send(join(room, "Alan", "right"));
            assertEquals("joined", reply(alan).getString("type"), "the member gets in");

            // Guessing stays slow: with the room under attack, a client that guessed wrong waits too.
            bob.send(join(room, "Bob", "wrong"));
            assertEquals("wrong-password", reply(bob).getString("code"));
            bob.send(join(room, "Bob", "right"));
            JsonObject roomLimited = reply(bob);
            assertEquals("too-many-attempts", roomLimited.getString("code"), roomLimited::encode);
            assertEquals("room", roomLimited.getString("reason"));
            assertTrue(metric("huisclos_signaling_refusals_total{reason=\"guesses_per_client\"}") >= 1);
            assertTrue(metric("huisclos_signaling_refusals_total{reason=\"guesses_per_room\"}") >= 1);
        }
    }

    @Test
    void reconnectingDoesNotResetAClientsGuessBudget() throws Exception {
        String room = "limits-" + ROOMS.incrementAndGet();
        String other = "limits-" + ROOMS.incrementAndGet();
        try (TestClient ada = roomWithPassword(room, "198.51.100.10");
             TestClient bob = roomWithPassword(other, "198.51.100.11")) {
            TestClient eve = from("203.0.113.77");
            for (int i = 0; i < GuessLimiter.LIMIT; i++) {
                eve.send(join(room, "Eve", "guess" + i));
                assertEquals("wrong-password", reply(eve).getString("code"));
            }
            eve.close();
            try (TestClient again = from("203.0.113.77")) {
                again.send(join(other, "Eve", "guess"));
                JsonObject limited = reply(again);
                assertEquals("too-many-attempts", limited.getString("code"), limited::encode);
                assertEquals("client", limited.getString("reason"));
            }
        }
    }

    @Test
    void setPasswordIsLimitedPerRoom() throws Exception {
        String room = "limits-" + ROOMS.incrementAndGet();
        try (TestClient ada = from("198.51.100.20")) {
            ada.join(room, "Ada");
            for (int i = 0; i < AccessControl.PASSWORD_CHANGES_PER_MINUTE; i++) {
                ada.send(new JsonObject().put("type", "set-password").put("password", "pw" + i));
                ada.expect("room-settings", m -> m.getBoolean("password"), SLOW);
            }
            ada.send(new JsonObject().put("type", "set-password").put("password", "one more"));
            JsonObject limited = ada.expect("error", m -> true, SLOW);
            assertEquals("rate-limited", limited.getString("code"), limited::encode);
            assertEquals("set-password", limited.getString("request"));
            assertTrue(limited.getLong("retryAfter") > 0 && limited.getLong("retryAfter") <= 60, limited::encode);
            // Removing the password costs no hashing and stays possible.
            ada.send(new JsonObject().put("type", "set-password").put("password", ""));
            ada.expect("room-settings", m -> !m.getBoolean("password"), SLOW);
            assertTrue(metric("huisclos_signaling_refusals_total{reason=\"set_password_per_room\"}") >= 1);
        }
    }
}
