package org.huisclos.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** HUISCLOS_JWT_REQUIRED_TO_OPEN_ROOMS over real WebSockets: members open rooms, their guests join them. */
class SignInProtocolTest {
    private static Harness harness;

    @BeforeAll
    static void start() throws Exception {
        harness = new Harness(Duration.ofSeconds(20), roomKey -> Future.succeededFuture(FakeMediaNode.NODE_ID),
                s -> s.signIn(JwtVerifier.hs256(TestTokens.SECRET), true));
    }

    @AfterAll
    static void stop() throws Exception {
        harness.close();
    }

    private static JsonObject join(String room, String name, String token) {
        JsonObject join = new JsonObject().put("type", "join").put("v", 1).put("room", room).put("name", name)
                .put("audio", true).put("video", true);
        return token == null ? join : join.put("token", token);
    }

    @Test
    void onlyAValidTokenOpensARoomAndGuestsJoinItWithout() throws Exception {
        try (TestClient member = harness.client(); TestClient guest = harness.client()) {
            // No token: the room does not exist yet.
            member.send(join("members-room", "Ada", null));
            JsonObject error = member.expectError(ClientMessages.SIGN_IN_REQUIRED);
            assertEquals("join", error.getString("request"));
            member.assertAlive();

            // A forged token.
            member.send(join("members-room", "Ada",
                    TestTokens.hs256("someone-elses-secret-of-32-characters-or-more", TestTokens.validFor(60))));
            assertEquals(JwtVerifier.BAD_SIGNATURE, member.expectError(ClientMessages.BAD_TOKEN).getString("reason"));
            member.assertAlive();

            // An expired token.
            member.send(join("members-room", "Ada",
                    TestTokens.hs256(TestTokens.SECRET, new JsonObject().put("exp", TestTokens.now() - 3600))));
            assertEquals(JwtVerifier.EXPIRED, member.expectError(ClientMessages.BAD_TOKEN).getString("reason"));
            member.assertAlive();

            // alg none, and a token that is not a string.
            member.send(join("members-room", "Ada", TestTokens.unsigned("none", TestTokens.validFor(60)) + "."));
            assertEquals(JwtVerifier.UNSUPPORTED_ALG, member.expectError(ClientMessages.BAD_TOKEN).getString("reason"));
            member.send(join("members-room", "Ada", null).put("token", 42));
            member.expectError(ClientMessages.BAD_MESSAGE);
            member.assertAlive();

            // A guest cannot open it either.
            guest.send(join("members-room", "Guest", null));
            guest.expectError(ClientMessages.SIGN_IN_REQUIRED);
            guest.assertAlive();

            // A valid token opens the room; the guest then joins without one.
            member.send(join("members-room", "Ada", TestTokens.hs256(TestTokens.SECRET, TestTokens.validFor(300))));
            String memberId = member.expect("joined").getString("participant");
            guest.send(join("members-room", "Guest", null));
            guest.expect("joined");
            guest.expect("participant", m -> memberId.equals(m.getString("participant")));
        }
    }
}
