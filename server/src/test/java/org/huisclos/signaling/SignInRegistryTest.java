package org.huisclos.signaling;


import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.huisclos.launcher.Huisclos;
import org.huisclos.launcher.TestServers;
import org.junit.jupiter.api.Test;

/**
 * The launcher's sign-in, with rooms' existence taken from the room registry: a member opens a
 * room, a guest joins it without a token, and once everyone left and the record is gone, the guest
 * can no longer open it.
 */
class SignInRegistryTest {
    private static JsonObject join(String room, String name, String token) {
        JsonObject join = new JsonObject().put("type", "join").put("v", 1).put("room", room).put("name", name)
                .put("audio", true).put("video", true);
        return token == null ? join : join.put("token", token);
    }

    @Test
    void theRegistrysRecordDecidesWhetherARoomExists() throws Exception {
        Huisclos server = TestServers.start("127.0.0.1", "sign-in-test", Map.of(
                "HUISCLOS_JWT_HS256_SECRET", TestTokens.SECRET,
                "HUISCLOS_JWT_REQUIRED_TO_OPEN_ROOMS", "true"));
        Vertx vertx = Vertx.vertx();
        try {
            try (TestClient member = new TestClient(vertx, server.httpPort());
                 TestClient guest = new TestClient(vertx, server.httpPort())) {
                guest.send(join("registry-room", "Guest", null));
                guest.expectError(ClientMessages.SIGN_IN_REQUIRED);
                member.send(join("registry-room", "Ada", TestTokens.hs256(TestTokens.SECRET, TestTokens.validFor(300))));
                member.expect("joined");
                TestClient.await("the room has a registry record", () -> server.registry().roomCount() == 1);
                guest.send(join("registry-room", "Guest", null));
                guest.expect("joined");
                member.send(new JsonObject().put("type", "leave"));
                guest.send(new JsonObject().put("type", "leave"));
                TestClient.await("the empty room's record goes", () -> server.registry().roomCount() == 0);
                guest.send(join("registry-room", "Guest", null));
                guest.expectError(ClientMessages.SIGN_IN_REQUIRED);
                guest.assertAlive();
            }
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            server.close();
        }
    }
}
