package org.huisclos.launcher.media;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.IntSupplier;
import java.util.function.ToDoubleFunction;
import org.huisclos.media.MediaNode;
import org.huisclos.media.forward.ForwardingCounters;
import org.huisclos.media.relay.RelayTotals;
import org.huisclos.media.transport.DropCounters;
import org.huisclos.media.transport.DropReason;
import org.huisclos.media.transport.TcpRefusal;
import org.huisclos.media.transport.TcpRefusals;

/**
 * The media node's meters (docs/metrics.md), bound here in the launcher so that media-node needs
 * no Micrometer and its packet path never touches it: each meter is a FunctionCounter or Gauge
 * that reads the node's own counters when Prometheus scrapes. The only label is {@code reason},
 * whose values are the fixed {@link DropReason#label}s and {@link TcpRefusal#label}s (and
 * {@code direction} on the relay meters).
 */
final class MediaMetrics {
    /** Participants, rooms, streams: the node reports them on its own context, so we keep the last report. */
    private volatile int[] load = new int[3];
    // Micrometer holds a function meter's object weakly: keep what is not held elsewhere here, and keep this object.
    private final IntSupplier dtlsFailures;

    private final Readings readings;

    /** What the node keeps outside its forwarding and drop counters, read at scrape time. */
    interface Readings {
        long consentExpirations();

        /** Candidate paths displaced (a participant's 9th and later). */
        long pathsDisplaced();

        double publisherJitterSeconds();

        double publisherLossRatio();

        /** The relay links' totals, 0 before the node started. */
        long relayPacketsIn();

        long relayPacketsOut();

        long relayBytesIn();

        long relayBytesOut();

        double relayRttSeconds();

        /** Relay links open now. */
        int relayLinks();

        /** RTP packets expected from peer nodes over relay links, and those of them lost. */
        long relayPacketsExpected();

        long relayPacketsLost();
    }

    static MediaMetrics bind(MeterRegistry registry, MediaNode node) {
        io.micrometer.core.instrument.DistributionSummary estimates = io.micrometer.core.instrument.DistributionSummary
                .builder("huisclos.media.subscriber.bandwidth.estimate")
                .description("Each subscriber's downlink estimate from transport-wide feedback, sampled once a second")
                .baseUnit("bytes.per.second") // Prometheus' base unit is the byte: 125,000 is 1 Mbit/s
                .serviceLevelObjectives(31_250, 62_500, 125_000, 250_000, 500_000, 1_000_000, 2_000_000)
                .register(registry);
        node.onBandwidthEstimate(bps -> estimates.record(bps / 8.0));
        return new MediaMetrics(registry, node.drops(), node.tcpRefusals(), node.counters(), node::dtlsFailures,
                new Readings() {
            @Override
            public long consentExpirations() {
                return node.consentExpirations();
            }

            @Override
            public long pathsDisplaced() {
                return node.pathsDisplaced();
            }

            @Override
            public double publisherJitterSeconds() {
                return node.publisherJitterSeconds();
            }

            @Override
            public double publisherLossRatio() {
                return node.publisherLossRatio();
            }

            @Override
            public long relayPacketsIn() {
                RelayTotals t = node.relayTotals();
                return t == null ? 0 : t.packetsIn();
            }

            @Override
            public long relayPacketsOut() {
                RelayTotals t = node.relayTotals();
                return t == null ? 0 : t.packetsOut();
            }

            @Override
            public long relayBytesIn() {
                RelayTotals t = node.relayTotals();
                return t == null ? 0 : t.bytesIn();
            }

            @Override
            public long relayBytesOut() {
                RelayTotals t = node.relayTotals();
                return t == null ? 0 : t.bytesOut();
            }

            @Override
            public int relayLinks() {
                RelayTotals t = node.relayTotals();
                return t == null ? 0 : t.openLinks();
            }

            @Override
            public long relayPacketsExpected() {
                RelayTotals t = node.relayTotals();
                return t == null ? 0 : t.packetsExpectedIn();
            }

            @Override
            public long relayPacketsLost() {
                RelayTotals t = node.relayTotals();
                return t == null ? 0 : t.packetsLostIn();
            }

            @Override
            public double relayRttSeconds() {
                RelayTotals t = node.relayTotals();
                return t == null ? 0 : t.rttSeconds();
            }
        });
    }

    MediaMetrics(MeterRegistry registry, DropCounters drops, TcpRefusals tcpRefusals, ForwardingCounters counters,
            IntSupplier dtlsFailures, Readings readings) {
        this.dtlsFailures = dtlsFailures;
        this.readings = readings;
        loadGauge(registry, "huisclos.media.participants", "Participants on this media node", 0);
        loadGauge(registry, "huisclos.media.rooms", "Rooms with at least one participant on this media node", 1);
        loadGauge(registry, "huisclos.media.streams", "Published audio and video streams on this media node", 2);
        counter(registry, "huisclos.media.packets.received", "RTP packets received from publishers",
                counters, ForwardingCounters::packetsIn);
        counter(registry, "huisclos.media.packets.sent", "RTP packets forwarded to subscribers",
                counters, ForwardingCounters::packetsOut);
        // No baseUnit: the name already says bytes, and a unit would make Micrometer append it again.
        counter(registry, "huisclos.media.bytes.received", "Bytes of the RTP packets received",
                counters, ForwardingCounters::bytesIn);
        counter(registry, "huisclos.media.bytes.sent", "Bytes of the RTP packets forwarded",
                counters, ForwardingCounters::bytesOut);
        counter(registry, "huisclos.media.retransmissions", "Packets retransmitted from the cache after a NACK",
                counters, ForwardingCounters::retransmissions);
        counter(registry, "huisclos.media.keyframe.requests", "Keyframe requests (PLI) sent to publishers",
                counters, ForwardingCounters::keyframeRequests);
        counter(registry, "huisclos.media.layer.switches",
                "Simulcast layer switches of subscribers' streams (each at a key frame)",
                counters, ForwardingCounters::layerSwitches);
        counter(registry, "huisclos.media.layer.keyframe.requests",
                "Keyframe requests (PLI) sent because a subscriber waits to switch to that simulcast layer",
                counters, ForwardingCounters::switchKeyframeRequests);
        Gauge.builder("huisclos.media.videos.paused", counters, ForwardingCounters::videosPaused)
                .description("Simulcast videos subscribers receive nothing of now (not shown)").register(registry);
        Gauge.builder("huisclos.media.layers.not.encoded", counters, ForwardingCounters::layersNotEncoded)
                .description("Simulcast layers publishers were told not to encode, as nobody receives them")
                .register(registry);
        counter(registry, "huisclos.media.nacks.received", "NACK packets received from subscribers and relay links",
                counters, ForwardingCounters::nacksReceived);
        counter(registry, "huisclos.media.nacks.forwarded",
                "NACK packets sent over relay links for packets lost on the link (not in this node's cache)",
                counters, ForwardingCounters::nacksForwarded);
        counter(registry, "huisclos.media.plis.received",
                "Keyframe requests (PLI, FIR) received from subscribers and relay links",
                counters, ForwardingCounters::plisReceived);
        counter(registry, "huisclos.media.dtls.failures", "DTLS handshakes that failed",
                this, m -> m.dtlsFailures.getAsInt());
        counter(registry, "huisclos.media.ice.consent.expired",
                "Endpoints whose ICE consent expired (30 s without a STUN check): sending to them stopped",
                this, m -> m.readings.consentExpirations());
        counter(registry, "huisclos.media.ice.paths.displaced",
                "Candidate paths pushed out because a participant had 8 already (forgotten: the address table stays bounded)",
                this, m -> m.readings.pathsDisplaced());
        Gauge.builder("huisclos.media.publisher.jitter", this, m -> m.readings.publisherJitterSeconds())
                .baseUnit("seconds").strongReference(true)
                .description("Largest interarrival jitter over the streams published on this node").register(registry);
        Gauge.builder("huisclos.media.publisher.loss.ratio", this, m -> m.readings.publisherLossRatio())
                .strongReference(true)
                .description("Largest fraction of packets lost over the streams published on this node, last second")
                .register(registry);
        FunctionCounter.builder("huisclos.media.relay.packets", this, m -> m.readings.relayPacketsIn())
                .tag("direction", "in").description("SRTP and SRTCP packets on relay links to other media nodes")
                .register(registry);
        FunctionCounter.builder("huisclos.media.relay.packets", this, m -> m.readings.relayPacketsOut())
                .tag("direction", "out").description("SRTP and SRTCP packets on relay links to other media nodes")
                .register(registry);
        FunctionCounter.builder("huisclos.media.relay.bytes", this, m -> m.readings.relayBytesIn())
                .tag("direction", "in").description("Bytes on relay links to other media nodes, encrypted")
                .register(registry);
        FunctionCounter.builder("huisclos.media.relay.bytes", this, m -> m.readings.relayBytesOut())
                .tag("direction", "out").description("Bytes on relay links to other media nodes, encrypted")
                .register(registry);
        Gauge.builder("huisclos.media.relay.rtt", this, m -> m.readings.relayRttSeconds())
                .baseUnit("seconds").strongReference(true)
                .description("Largest round-trip time over the open relay links").register(registry);
        Gauge.builder("huisclos.media.relay.links", this, m -> m.readings.relayLinks()).strongReference(true)
                .description("Relay links open to other media nodes (one per room and peer node)").register(registry);
        FunctionCounter.builder("huisclos.media.relay.packets.expected", this, m -> m.readings.relayPacketsExpected())
                .description("RTP packets expected from other media nodes over relay links, from sequence numbers")
                .register(registry);
        FunctionCounter.builder("huisclos.media.relay.packets.lost", this, m -> m.readings.relayPacketsLost())
                .description("RTP packets from other media nodes over relay links that never arrived").register(registry);
        for (DropReason reason : DropReason.values()) {
            FunctionCounter.builder("huisclos.media.packets.dropped", drops, d -> d.count(reason))
                    .tag("reason", reason.label)
                    .description("Datagrams dropped by the media node, by reason").register(registry);
        }
        for (TcpRefusal reason : TcpRefusal.values()) {
            FunctionCounter.builder("huisclos.media.tcp.connections.refused", tcpRefusals, t -> t.count(reason))
                    .tag("reason", reason.label)
                    .description("ICE-TCP connections the media node closed for a limit or a failure, by reason")
                    .register(registry);
        }
    }

    /** Called with each load report ({@link MediaNode#load()}): participants, rooms, streams. */
    void load(int[] participantsRoomsStreams) {
        load = participantsRoomsStreams.clone();
    }

    private void loadGauge(MeterRegistry registry, String name, String description, int index) {
        Gauge.builder(name, this, m -> m.load[index]).description(description).strongReference(true)
                .register(registry);
    }

    private static <T> void counter(MeterRegistry registry, String name, String description, T source,
            ToDoubleFunction<T> read) {
        FunctionCounter.builder(name, source, read).description(description).register(registry);
    }
}
