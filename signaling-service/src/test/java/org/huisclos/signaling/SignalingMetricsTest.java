package org.huisclos.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** /metrics and /ready of a signaling server on its own (fake media node, default registry and readiness). */
class SignalingMetricsTest {
    private static Harness harness;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws Exception {
        harness = new Harness(Duration.ofSeconds(20));
    }

    @AfterAll
    static void stop() throws Exception {
        harness.close();
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + harness.port + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static double value(String series) throws Exception {
        for (String line : get("/metrics").body().split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1));
            }
        }
        return Double.NaN;
    }

    @Test
    void metricsAreInPrometheusTextFormat() throws Exception {
        HttpResponse<String> response = get("/metrics");
        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"),
                response.headers().toString());
        assertTrue(response.body().contains("# TYPE huisclos_signaling_joins_total counter"), response.body());
    }

    @Test
    void readyByDefault() throws Exception {
        HttpResponse<String> response = get("/ready");
        assertEquals(200, response.statusCode());
        assertEquals(new JsonObject().put("ready", true), new JsonObject(response.body()));
    }

    @Test
    void joinsErrorsConnectionsAndJoinTimeAreCounted() throws Exception {
        double joins = value("huisclos_signaling_joins_total");
        double badJson = value("huisclos_signaling_errors_total{code=\"bad-json\"}");
        double timed = value("huisclos_signaling_join_seconds_count");
        try (TestClient ada = harness.client()) {
            TestClient.await("the socket is counted", () -> at("huisclos_signaling_connections") >= 1);
            ada.sendText("{not json");
            ada.expectError("bad-json");
            String id = ada.join("metered-room", "Ada").getString("participant");
            ada.expect("offer");
            ada.send(new JsonObject().put("type", "answer").put("version", 1).put("sdp", "v=0 answer"));
            TestClient.await("the join is timed", () -> at("huisclos_signaling_join_seconds_count") == timed + 1);
            assertEquals(joins + 1, value("huisclos_signaling_joins_total"));
            assertEquals(badJson + 1, value("huisclos_signaling_errors_total{code=\"bad-json\"}"));
            String scrape = get("/metrics").body();
            assertTrue(scrape.contains("huisclos_signaling_join_seconds_bucket{le="), "a histogram, not a summary");
            for (String secret : List.of("metered-room", "Ada", id)) {
                assertFalse(scrape.contains(secret), "the scrape mentions " + secret);
            }
        }
        TestClient.await("the closed socket is no longer counted", () -> at("huisclos_signaling_connections") == 0);
    }

    @Test
    void theCodeLabelTakesExactlyTheDocumentedErrorCodes() throws Exception {
        Set<String> codes = new HashSet<>();
        Matcher m = Pattern.compile("^huisclos_signaling_errors_total\\{code=\"([^\"]+)\"}", Pattern.MULTILINE)
                .matcher(get("/metrics").body());
        while (m.find()) {
            codes.add(m.group(1));
        }
        assertEquals(Set.copyOf(ClientMessages.ERROR_CODES), codes);
    }

    private static double at(String series) {
        try {
            return value(series);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
