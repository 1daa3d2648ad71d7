package org.huisclos.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A real Prometheus (Debian's package, which {@code ./huisclos test} installs) scrapes a cluster of
 * separate processes, one signaling and one media-only, every second: both targets must be up and
 * their meters queryable, the media node's on its own HTTP port (HUISCLOS_MEDIA_HTTP_PORT).
 */
class PrometheusScrapeTest {
    private static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
    private static final Duration DEADLINE = Duration.ofSeconds(120);
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(3)).build();

    @Test
    void prometheusScrapesSignalingAndMediaProcesses() throws Exception {
        assertTrue(Files.isExecutable(PROMETHEUS), PROMETHEUS + " is missing: ./huisclos test installs it "
                + "(Debian package prometheus: apt-get install prometheus)");
        Path tmp = Files.createTempDirectory("huisclos-prometheus-");
        Process prometheus = null;
        try (ClusterProcesses cluster = new ClusterProcesses("prom")) {
            ClusterProcesses.Member signaling = cluster.signaling("signaling-1");
            ClusterProcesses.Member media = cluster.media("media-1");
            cluster.startAll(DEADLINE);
            assertEquals(200, ClusterProcesses.httpStatus(http, media.opsUrl() + "/ready"), "media /ready");

            String signalingTarget = "127.0.0.1:" + signaling.httpPort();
            String mediaTarget = "127.0.0.1:" + media.mediaHttpPort();
            Path config = tmp.resolve("prometheus.yml");
            Files.writeString(config, """
                    global:
                      scrape_interval: 1s
                      scrape_timeout: 1s
                      evaluation_interval: 1s
                    scrape_configs:
                      - job_name: huisclos-signaling
                        static_configs:
                          - targets: ["%s"]
                      - job_name: huisclos-media
                        static_configs:
                          - targets: ["%s"]
                    """.formatted(signalingTarget, mediaTarget));
            int webPort = freePort();
            Path log = ClusterProcesses.LOG_DIR.resolve(cluster.clusterName() + "-prometheus.log");
            prometheus = new ProcessBuilder(PROMETHEUS.toString(),
                    "--config.file=" + config,
                    "--storage.tsdb.path=" + tmp.resolve("data"),
                    "--web.listen-address=127.0.0.1:" + webPort)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.to(log.toFile())).start();
            String api = "http://127.0.0.1:" + webPort + "/api/v1/";

            // Both targets up.
            long start = System.nanoTime();
            long deadline = start + DEADLINE.toNanos();
            JsonArray targets = null;
            while (true) {
                if (!prometheus.isAlive()) {
                    fail("prometheus exited with " + prometheus.exitValue() + "; log " + log + ":\n" + Files.readString(log));
                }
                JsonObject body = getJson(api + "targets?state=active");
                if (body != null) {
                    targets = body.getJsonObject("data").getJsonArray("activeTargets");
                    Set<String> up = new HashSet<>();
                    for (int i = 0; i < targets.size(); i++) {
                        JsonObject t = targets.getJsonObject(i);
                        if ("up".equals(t.getString("health"))) {
                            up.add(t.getJsonObject("labels").getString("instance"));
                        }
                    }
                    if (up.equals(Set.of(signalingTarget, mediaTarget))) {
                        break;
                    }
                }
                if (System.nanoTime() - deadline >= 0) {
                    fail("targets not both up after " + DEADLINE + ": " + (targets == null ? "no answer" : targets.encodePrettily())
                            + "\nprometheus log:\n" + Files.readString(log));
                }
                ClusterProcesses.sleep(Duration.ofMillis(250)); // polling step, bounded by the deadline
            }
            Duration toUp = Duration.ofNanos(System.nanoTime() - start);

            // Their samples are in: up == 1 for both, the media meters from the media process only.
            JsonArray upResult = awaitQuery(api, "up == 1", 2, deadline);
            JsonArray participants = awaitQuery(api, "huisclos_media_participants", 1, deadline);
            JsonObject metric = participants.getJsonObject(0).getJsonObject("metric");
            assertEquals(mediaTarget, metric.getString("instance"), participants.encode());
            assertEquals("huisclos-media", metric.getString("job"), participants.encode());
            // No label but what Prometheus adds itself (privacy: no room, name or address).
            assertEquals(new TreeSet<>(Set.of("__name__", "instance", "job")), new TreeSet<>(metric.fieldNames()),
                    participants.encode());
            assertEquals("0", participants.getJsonObject(0).getJsonArray("value").getString(1), "nobody joined");
            JsonArray connections = awaitQuery(api, "huisclos_signaling_connections", 1, deadline);
            assertEquals(signalingTarget, connections.getJsonObject(0).getJsonObject("metric").getString("instance"));
            JsonArray jvm = awaitQuery(api, "count by (job) (jvm_memory_used_bytes)", 2, deadline);
            System.out.println("Prometheus: both targets up " + toUp.toMillis() + " ms after its start; up=" + upResult.encode()
                    + "; jvm series by job " + jvm.encode());
        } finally {
            if (prometheus != null) {
                prometheus.destroy();
                if (!prometheus.waitFor(20, TimeUnit.SECONDS)) {
                    prometheus.destroyForcibly();
                    prometheus.waitFor(10, TimeUnit.SECONDS);
                }
            }
            deleteTree(tmp);
        }
    }

    /** Polls an instant query until it returns at least {@code size} series. */
    private JsonArray awaitQuery(String api, String query, int size, long deadline) {
        JsonObject body = null;
        while (true) {
            body = getJson(api + "query?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8));
            if (body != null && "success".equals(body.getString("status"))) {
                JsonArray result = body.getJsonObject("data").getJsonArray("result");
                if (result.size() >= size) {
                    assertEquals(size, result.size(), query + ": " + result.encode());
                    return result;
                }
            }
            if (System.nanoTime() - deadline >= 0) {
                fail("query " + query + " did not return " + size + " series in time: " + (body == null ? "no answer" : body.encode()));
            }
            ClusterProcesses.sleep(Duration.ofMillis(250)); // polling step, bounded by the deadline
        }
    }

    /** The JSON body of a 200 answer, or null when Prometheus does not answer (yet). */
    private JsonObject getJson(String url) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).GET()
                    .build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? new JsonObject(r.body()) : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            return s.getLocalPort();
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
