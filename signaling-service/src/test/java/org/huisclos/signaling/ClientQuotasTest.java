package org.huisclos.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.huisclos.registry.RoomKeys;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 13, item 5: one client address cannot open WebSockets or try joins without end (each of
 * which could take a participant's place on a media node). Clients here tell their address through
 * a trusted proxy's X-Forwarded-For, so that each test is a different client. Before the quotas,
 * every socket opened and every join went through.
 */
class ClientQuotasTest {
    private static final PrometheusMeterRegistry METRICS = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private static Vertx vertx;
    private static SignalingServer server;
    private static int port;

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        new FakeMediaNode(vertx).await();
        server = new SignalingServer(vertx, 0, "127.0.0.1", RoomKeys.random(),
                k -> Future.succeededFuture(FakeMediaNode.NODE_ID))
                .clientAddresses(ClientAddresses.trusting("127.0.0.1,::1")).clientQuotas(4, 2).meterRegistry(METRICS);
        port = server.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() throws Exception {
        server.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aClientOpensAtMostItsWebSocketsPerMinuteAndAnotherClientIsNotHeldUp() throws Exception {
        List<TestClient> open = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                open.add(new TestClient(vertx, port, "203.0.113.10"));
            }
            ExecutionException e = assertThrows(ExecutionException.class, () -> new TestClient(vertx, port, "203.0.113.10"));
            UpgradeRejectedException rejected = assertInstanceOf(UpgradeRejectedException.class, e.getCause());
            assertEquals(429, rejected.getStatus());
            assertTrue(Integer.parseInt(rejected.getHeaders().get("Retry-After")) > 0, rejected.getHeaders().toString());
            open.add(new TestClient(vertx, port, "203.0.113.11")); // someone else still gets in
            assertTrue(METRICS.scrape().contains("huisclos_signaling_refusals_total{reason=\"websockets_per_client\"} 1.0"),
                    METRICS.scrape());
        } finally {
            for (TestClient c : open) {
                c.close();
            }
        }
    }

    @Test
    void aClientTriesAtMostItsJoinsPerMinuteEvenOnNewSockets() throws Exception {
        for (int i = 0; i < 2; i++) {
            try (TestClient c = new TestClient(vertx, port, "198.51.100.20")) {
                c.send(join("quota-room"));
                c.expect("joined");
                c.send(new JsonObject().put("type", "leave"));
            }
        }
        try (TestClient c = new TestClient(vertx, port, "198.51.100.20")) {
            c.send(join("quota-room"));
            JsonObject error = c.expect("error");
            assertEquals("rate-limited", error.getString("code"), error.encode());
            assertEquals("joins", error.getString("reason"), error.encode());
            assertTrue(error.getLong("retryAfter") > 0, error.encode());
        }
        try (TestClient other = new TestClient(vertx, port, "198.51.100.21")) {
            other.send(join("quota-room"));
            other.expect("joined");
        }
        assertTrue(METRICS.scrape().contains("huisclos_signaling_refusals_total{reason=\"joins_per_client\"} 1.0"),
                METRICS.scrape());
    }

    private static JsonObject join(String room) {
        return new JsonObject().put("type", "join").put("v", 1).put("room", room).put("name", "Q")
                .put("audio", true).put("video", true);
    }
}
