package org.huisclos.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.huisclos.launcher.Huisclos;
import org.huisclos.launcher.TestServers;
import org.huisclos.media.transport.DropReason;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * /metrics during a real two-browser meeting: the documented series are there with values that
 * match the meeting, the scrape carries no room name, display name, participant id or address,
 * and promtool (when installed, as {@code ./huisclos test} does) accepts it.
 */
class MetricsBrowserTest {
    private static final Path PROMTOOL = Path.of("/usr/bin/promtool");
    private static final String ROOM = "metrics-room-q7x";
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1) // as Prometheus scrapes: no h2c upgrade
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static Huisclos server;
    private static final List<BrowserParticipant> browsers = new ArrayList<>();

    @BeforeAll
    static void startServer() throws Exception {
        server = TestServers.start("127.0.0.1", "metrics-test", Map.of());
    }

    @AfterAll
    static void stopAll() {
        for (BrowserParticipant b : browsers) {
            b.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private static BrowserParticipant join(String name) {
        BrowserParticipant b = new ChromiumParticipant(name);
        browsers.add(b);
        b.open("http://127.0.0.1:" + server.httpPort() + "/" + ROOM + "?name=" + name + "&autojoin=1");
        return b;
    }

    private static String scrape() {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort()
                    + "/metrics")).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode());
            return r.body();
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("scrape failed", e);
        }
    }

    /** The value of one series (name plus labels exactly as exposed), or NaN when absent. */
    private static double value(String scrape, String series) {
        for (String line : scrape.split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1));
            }
        }
        return Double.NaN;
    }

    @Test
    void scrapeDuringAMeetingHasSaneValuesAndNoPersonalData() throws Exception {
        BrowserParticipant zoltanetta = join("Zoltanetta");
        BrowserParticipant yorickson = join("Yorickson");
        RtcStats.awaitMediaFrom(zoltanetta, List.of(yorickson), Duration.ofSeconds(60));
        RtcStats.awaitMediaFrom(yorickson, List.of(zoltanetta), Duration.ofSeconds(60));
        List<String> secrets = new ArrayList<>(List.of(ROOM, "Zoltanetta", "Yorickson", "127.0.0.1"));
        for (BrowserParticipant b : browsers) {
            secrets.add((String) b.js("return window.huisclos.participantId"));
        }

        // Gauges follow the node's load report (once a second): poll for the meeting's shape.
        zoltanetta.waitUntil("the scrape shows 2 participants in 1 room", Duration.ofSeconds(30), () -> {
            String s = scrape();
            return value(s, "huisclos_media_participants") == 2 && value(s, "huisclos_media_rooms") == 1
                    && value(s, "huisclos_signaling_connections") == 2;
        });
        String first = scrape();
        assertTrue(value(first, "huisclos_media_streams") >= 2, "each participant publishes");
        assertTrue(value(first, "huisclos_signaling_joins_total") >= 2);
        assertTrue(value(first, "huisclos_signaling_join_seconds_count") >= 2, "both joins were timed");
        for (String c : List.of("packets_received", "packets_sent", "bytes_received", "bytes_sent")) {
            assertTrue(value(first, "huisclos_media_" + c + "_total") > 0, c);
        }
        yorickson.waitUntil("forwarding counters rise between scrapes", Duration.ofSeconds(30), () -> {
            String s = scrape();
            return value(s, "huisclos_media_packets_received_total") > value(first, "huisclos_media_packets_received_total")
                    && value(s, "huisclos_media_packets_sent_total") > value(first, "huisclos_media_packets_sent_total");
        });
        for (DropReason r : DropReason.values()) {
            double v = value(first, "huisclos_media_packets_dropped_total{reason=\"" + r.label + "\"}");
            assertTrue(v >= 0, "a series for drop reason " + r.label);
        }
        for (String s : List.of("huisclos_media_retransmissions_total", "huisclos_media_keyframe_requests_total",
                "huisclos_media_dtls_failures_total", "jvm_memory_used_bytes", "process_uptime_seconds")) {
            assertTrue(first.contains(s), s);
        }

        String last = scrape();
        for (String secret : secrets) {
            assertFalse(last.contains(secret), "the scrape mentions " + secret);
        }
        assertEveryHuisclosMetricIsDocumented(last);
        promtoolAccepts(last);
    }

    /** The scrape has exactly the documented huisclos_ families, and docs/metrics.md lists each one. */
    private static void assertEveryHuisclosMetricIsDocumented(String scrape) throws IOException {
        String docs = Files.readString(Path.of("..", "docs", "metrics.md"));
        Set<String> families = new TreeSet<>();
        Matcher m = Pattern.compile("^# TYPE (huisclos_\\w+) ", Pattern.MULTILINE).matcher(scrape);
        while (m.find()) {
            families.add(m.group(1));
            assertTrue(docs.contains("| `" + m.group(1) + "` |"), "docs/metrics.md does not list " + m.group(1));
        }
        assertEquals(new TreeSet<>(List.of("huisclos_media_participants", "huisclos_media_rooms",
                "huisclos_media_streams", "huisclos_media_packets_received_total", "huisclos_media_packets_sent_total",
                "huisclos_media_bytes_received_total", "huisclos_media_bytes_sent_total",
                "huisclos_media_packets_dropped_total", "huisclos_media_retransmissions_total",
                "huisclos_media_keyframe_requests_total", "huisclos_media_dtls_failures_total",
                "huisclos_media_nacks_received_total", "huisclos_media_plis_received_total",
                "huisclos_media_nacks_forwarded_total", "huisclos_media_layer_switches_total",
                "huisclos_media_layer_keyframe_requests_total", "huisclos_media_videos_paused",
                "huisclos_media_layers_not_encoded", "huisclos_media_subscriber_bandwidth_estimate_bytes_per_second",
                "huisclos_media_subscriber_bandwidth_estimate_bytes_per_second_max",
                "huisclos_event_loop_delay_seconds", "huisclos_registry_placements_total",
                "huisclos_media_ice_consent_expired_total", "huisclos_media_ice_paths_displaced_total",
                "huisclos_media_tcp_connections_refused_total", "huisclos_media_publisher_jitter_seconds",
                "huisclos_media_publisher_loss_ratio", "huisclos_media_relay_rtt_seconds",
                "huisclos_media_relay_packets_total", "huisclos_media_relay_bytes_total",
                "huisclos_media_relay_links", "huisclos_media_relay_packets_expected_total",
                "huisclos_media_relay_packets_lost_total",
                "huisclos_signaling_connections", "huisclos_signaling_joins_total", "huisclos_signaling_errors_total",
                "huisclos_signaling_media_moves_total", "huisclos_signaling_refusals_total",
                "huisclos_signaling_join_seconds", "huisclos_signaling_join_seconds_max")), families);
    }

    private static void promtoolAccepts(String scrape) throws Exception {
        if (!Files.isExecutable(PROMTOOL)) {
            System.out.println("promtool not installed: skipping its check (./huisclos test installs it)");
            return;
        }
        Process p = new ProcessBuilder(PROMTOOL.toString(), "check", "metrics").redirectErrorStream(true).start();
        try (var in = p.getOutputStream()) {
            in.write(scrape.getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "promtool did not finish");
        assertEquals(0, p.exitValue(), "promtool check metrics:\n" + out);
    }
}
