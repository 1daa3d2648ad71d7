package org.huisclos.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** /ready through the launcher: ready while everything runs, 503 with a reason once the cluster member is gone. */
class ReadinessTest {
    private Huisclos server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private HttpResponse<String> ready() throws Exception {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.httpPort() + "/ready")).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void readyUntilTheClusterMemberShutsDown() throws Exception {
        server = TestServers.start("127.0.0.1", "readiness-test", Map.of());
        HttpResponse<String> up = ready();
        assertEquals(200, up.statusCode(), up.body());
        assertEquals(new JsonObject().put("ready", true), new JsonObject(up.body()));

        server.hazelcast().shutdown();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        HttpResponse<String> down = ready();
        while (down.statusCode() != 503) {
            if (System.nanoTime() > deadline) {
                fail("/ready still answers " + down.statusCode() + " " + down.body());
            }
            Thread.sleep(50); // polling step, bounded by the deadline
            down = ready();
        }
        JsonObject body = new JsonObject(down.body());
        assertEquals(false, body.getBoolean("ready"));
        assertTrue(body.getString("reason", "").contains("cluster"), down.body());
    }
}
