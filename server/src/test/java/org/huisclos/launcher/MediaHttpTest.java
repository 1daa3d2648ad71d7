package org.huisclos.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A media-only process serves /metrics, /health and /ready on HUISCLOS_MEDIA_HTTP_PORT, and nothing else. */
class MediaHttpTest {
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    private Huisclos server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.mediaHttpPort() + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void mediaOnlyProcessServesMetricsHealthAndReadiness() throws Exception {
        server = Huisclos.start(Settings.fromEnvironment(Map.of(
                "HUISCLOS_ROLE", "media",
                "HUISCLOS_NODE_ID", "media-http",
                "HUISCLOS_HTTP_BIND", "127.0.0.1",
                "HUISCLOS_MEDIA_HTTP_PORT", "0",
                "HUISCLOS_MEDIA_UDP_PORT", "0",
                "HUISCLOS_MEDIA_BIND", "127.0.0.1",
                "HUISCLOS_CLUSTER_PORT", String.valueOf(TestCluster.freePorts(1)[0]),
                "HUISCLOS_CLUSTER_NAME", "media-http-test-" + ProcessHandle.current().pid())));
        assertEquals(-1, server.httpPort(), "a media-only process runs no signaling");
        assertTrue(server.mediaHttpPort() > 0);

        HttpResponse<String> health = get("/health");
        assertEquals(200, health.statusCode(), health.body());
        assertEquals(new JsonObject().put("status", "up"), new JsonObject(health.body()));

        HttpResponse<String> ready = get("/ready");
        assertEquals(200, ready.statusCode(), ready.body());
        assertEquals(new JsonObject().put("ready", true), new JsonObject(ready.body()));

        HttpResponse<String> metrics = get("/metrics");
        assertEquals(200, metrics.statusCode());
        assertTrue(metrics.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"),
                metrics.headers().toString());
        for (String name : new String[] {"huisclos_media_participants ", "huisclos_media_packets_received_total ",
                "huisclos_media_packets_dropped_total{reason=\"not_webrtc\"}", "jvm_memory_used_bytes", "process_uptime_seconds"}) {
            assertTrue(metrics.body().contains(name), name + " missing from /metrics");
        }
        assertFalse(metrics.body().contains("huisclos_signaling_"), "a media node has no signaling meters");

        assertEquals(404, get("/").statusCode(), "only the three operations paths are served");
        assertEquals(404, get("/demo").statusCode());

        // Draining: no longer ready, with the reason.
        assertTrue(server.drain(Duration.ofSeconds(10)).get(20, TimeUnit.SECONDS), "an empty node drains at once");
        HttpResponse<String> draining = get("/ready");
        assertEquals(503, draining.statusCode(), draining.body());
        assertEquals("media node is draining", new JsonObject(draining.body()).getString("reason"));
        assertEquals(200, get("/health").statusCode(), "draining is still alive");
    }
}
