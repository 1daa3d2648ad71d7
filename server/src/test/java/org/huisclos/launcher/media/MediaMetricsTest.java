package org.huisclos.launcher.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.huisclos.media.forward.ForwardingCounters;
import org.huisclos.media.forward.ForwardingCountersAccess;
import org.huisclos.media.transport.DropCounters;
import org.huisclos.media.transport.DropReason;
import org.huisclos.media.transport.TcpRefusal;
import org.huisclos.media.transport.TcpRefusals;
import org.junit.jupiter.api.Test;

/** The media meters read the node's own counters at scrape time, with only the documented labels. */
class MediaMetricsTest {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final DropCounters drops = new DropCounters();
    private final ForwardingCounters counters = new ForwardingCounters();
    private final TcpRefusals tcp = new TcpRefusals();
    private final AtomicInteger dtls = new AtomicInteger();
    private final Readings readings = new Readings();
    private final MediaMetrics metrics = new MediaMetrics(registry, drops, tcp, counters, dtls::get, readings);

    /** The node's other readings, set by the test. */
    private static final class Readings implements MediaMetrics.Readings {
        volatile long consentExpirations;
        volatile long pathsDisplaced;
        volatile double jitter;
        volatile double loss;
        volatile long relayPacketsIn;
        volatile long relayPacketsOut;
        volatile long relayBytesIn;
        volatile long relayBytesOut;
        volatile double relayRtt;
        volatile int relayLinks;
        volatile long relayExpected;
        volatile long relayLost;

        @Override
        public int relayLinks() {
            return relayLinks;
        }

        @Override
        public long relayPacketsExpected() {
            return relayExpected;
        }

        @Override
        public long relayPacketsLost() {
            return relayLost;
        }

        @Override
        public long relayPacketsIn() {
            return relayPacketsIn;
        }

        @Override
        public long relayPacketsOut() {
            return relayPacketsOut;
        }

        @Override
        public long relayBytesIn() {
            return relayBytesIn;
        }

        @Override
        public long relayBytesOut() {
            return relayBytesOut;
        }

        @Override
        public double relayRttSeconds() {
            return relayRtt;
        }

        @Override
        public long pathsDisplaced() {
            return pathsDisplaced;
        }

        @Override
        public long consentExpirations() {
            return consentExpirations;
        }

        @Override
        public double publisherJitterSeconds() {
            return jitter;
        }

        @Override
        public double publisherLossRatio() {
            return loss;
        }
    }

    private double value(String series) {
        for (String line : registry.scrape().split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1));
            }
        }
        throw new AssertionError("no series " + series + " in\n" + registry.scrape());
    }

    @Test
    void countersFollowTheNodesCounters() {
        assertEquals(0, value("huisclos_media_packets_received_total"));
        ForwardingCountersAccess.received(counters, 1200);
        ForwardingCountersAccess.received(counters, 800);
        ForwardingCountersAccess.sent(counters, 1200);
        ForwardingCountersAccess.retransmitted(counters);
        ForwardingCountersAccess.keyframeRequested(counters);
        ForwardingCountersAccess.nackReceived(counters);
        ForwardingCountersAccess.nackReceived(counters);
        ForwardingCountersAccess.pliReceived(counters);
        ForwardingCountersAccess.nackForwarded(counters);
        drops.drop(DropReason.SRTP_REPLAY);
        drops.drop(DropReason.SRTP_REPLAY);
        tcp.refuse(TcpRefusal.PER_ADDRESS_LIMIT);
        tcp.refuse(TcpRefusal.PER_ADDRESS_LIMIT);
        tcp.refuse(TcpRefusal.PER_ADDRESS_LIMIT);
        tcp.refuse(TcpRefusal.CHECK_TIMEOUT);
        dtls.incrementAndGet();
        readings.consentExpirations = 4;
        readings.pathsDisplaced = 9;
        readings.jitter = 0.025;
        readings.loss = 0.125;
        readings.relayPacketsIn = 10;
        readings.relayPacketsOut = 20;
        readings.relayBytesIn = 1000;
        readings.relayBytesOut = 2000;
        readings.relayRtt = 0.004;
        readings.relayLinks = 2;
        readings.relayExpected = 500;
        readings.relayLost = 3;
        metrics.load(new int[] {3, 1, 6});

        assertEquals(2, value("huisclos_media_packets_received_total"));
        assertEquals(2000, value("huisclos_media_bytes_received_total"));
        assertEquals(1, value("huisclos_media_packets_sent_total"));
        assertEquals(1200, value("huisclos_media_bytes_sent_total"));
        assertEquals(1, value("huisclos_media_retransmissions_total"));
        assertEquals(1, value("huisclos_media_keyframe_requests_total"));
        assertEquals(1, value("huisclos_media_dtls_failures_total"));
        assertEquals(4, value("huisclos_media_ice_consent_expired_total"));
        assertEquals(9, value("huisclos_media_ice_paths_displaced_total"));
        assertEquals(0.025, value("huisclos_media_publisher_jitter_seconds"));
        assertEquals(0.125, value("huisclos_media_publisher_loss_ratio"));
        assertEquals(10, value("huisclos_media_relay_packets_total{direction=\"in\"}"));
        assertEquals(20, value("huisclos_media_relay_packets_total{direction=\"out\"}"));
        assertEquals(1000, value("huisclos_media_relay_bytes_total{direction=\"in\"}"));
        assertEquals(2000, value("huisclos_media_relay_bytes_total{direction=\"out\"}"));
        assertEquals(0.004, value("huisclos_media_relay_rtt_seconds"));
        assertEquals(2, value("huisclos_media_relay_links"));
        assertEquals(500, value("huisclos_media_relay_packets_expected_total"));
        assertEquals(3, value("huisclos_media_relay_packets_lost_total"));
        assertEquals(2, value("huisclos_media_nacks_received_total"));
        assertEquals(1, value("huisclos_media_nacks_forwarded_total"));
        assertEquals(1, value("huisclos_media_plis_received_total"));
        assertEquals(2, value("huisclos_media_packets_dropped_total{reason=\"srtp_replay\"}"));
        assertEquals(0, value("huisclos_media_packets_dropped_total{reason=\"not_webrtc\"}"));
        assertEquals(3, value("huisclos_media_tcp_connections_refused_total{reason=\"per_address_limit\"}"));
        assertEquals(1, value("huisclos_media_tcp_connections_refused_total{reason=\"check_timeout\"}"));
        assertEquals(0, value("huisclos_media_tcp_connections_refused_total{reason=\"connection_limit\"}"));
        assertEquals(3, value("huisclos_media_participants"));
        assertEquals(1, value("huisclos_media_rooms"));
        assertEquals(6, value("huisclos_media_streams"));
    }

    @Test
    void theOnlyLabelsAreReasonWithTheDropAndTcpRefusalLabelsAndRelayDirection() {
        Set<String> reasons = new HashSet<>();
        Set<String> tcpReasons = new HashSet<>();
        Set<String> directions = new HashSet<>();
        Matcher m = Pattern.compile("^(huisclos_\\w+)(\\{[^}]*})?", Pattern.MULTILINE).matcher(registry.scrape());
        while (m.find()) {
            if (m.group(2) == null) {
                continue;
            }
            Matcher label = Pattern.compile("(\\w+)=\"([^\"]*)\"").matcher(m.group(2));
            while (label.find()) {
                if (m.group(1).startsWith("huisclos_media_relay_")) {
                    assertEquals("direction", label.group(1), m.group());
                    directions.add(label.group(2));
                    continue;
                }
                assertEquals("reason", label.group(1), m.group());
                if (m.group(1).equals("huisclos_media_tcp_connections_refused_total")) {
                    tcpReasons.add(label.group(2));
                    continue;
                }
                assertTrue(m.group(1).equals("huisclos_media_packets_dropped_total"), m.group());
                reasons.add(label.group(2));
            }
        }
        assertEquals(Arrays.stream(DropReason.values()).map(r -> r.label).collect(Collectors.toSet()), reasons);
        assertEquals(Arrays.stream(TcpRefusal.values()).map(r -> r.label).collect(Collectors.toSet()), tcpReasons);
        assertEquals(Set.of("in", "out"), directions);
    }
}
