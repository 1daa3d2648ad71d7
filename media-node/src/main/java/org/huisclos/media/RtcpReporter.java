package org.huisclos.media;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.huisclos.media.forward.Endpoint;
import org.huisclos.media.forward.Forwarder;
import org.huisclos.media.forward.PublishedStream;
import org.huisclos.media.forward.SimulcastLayer;
import org.huisclos.media.rtcp.ReceiverReport;
import org.huisclos.media.rtcp.Remb;
import org.huisclos.media.rtp.ReceiveStatistics;
import org.huisclos.media.transport.SendBuffer;

/**
 * Once a second, tells every publisher how its streams arrive: a receiver report (RFC 3550 §6.4.2)
 * with loss and jitter per stream, and a REMB with the bitrate it may send video at. Without
 * them a browser's sender statistics stay empty and its bandwidth estimate never grows. Also
 * stops sending to endpoints whose consent expired (RFC 7675: 30 s without a STUN check).
 */
final class RtcpReporter {
    private static final long CONSENT_TIMEOUT_NANOS = 30_000_000_000L;

    private final Forwarder forwarder;
    private final long rembBitrate;
    private final SendBuffer out = new SendBuffer();
    private final ReceiveStatistics[] sources = new ReceiveStatistics[8];
    private final int[] ssrcs = new int[8];
    private final int[] clockRates = new int[8];

    private final AtomicLong consentExpirations;
    private final StreamQuality quality = new StreamQuality();

    RtcpReporter(Forwarder forwarder, long rembBitrate, AtomicLong consentExpirations) {
        this.forwarder = forwarder;
        this.rembBitrate = rembBitrate;
        this.consentExpirations = consentExpirations;
    }

    /** Worst jitter and loss of the publishers' streams in the last {@link #report} pass. */
    StreamQuality quality() {
        return quality;
    }

    void report(List<Endpoint> endpoints) {
        long now = System.nanoTime();
        quality.reset();
        for (Endpoint e : endpoints) {
            if (!e.connected()) {
                continue;
            }
            if (now - e.lastConsentNanos > CONSENT_TIMEOUT_NANOS) {
                if (e.selected != null) { // counted once per expiry, not every second after it
                    consentExpirations.incrementAndGet();
                }
                e.selected = null;
                continue;
            }
            int count = 0;
            int video = 0;
            boolean layered = false;
            for (PublishedStream s : e.published()) {
                layered |= s.layers != null;
                if (s.layers == null) {
                    if (count < sources.length) {
                        clockRates[count] = s.codec.clockRate();
                        sources[count++] = s.statistics();
                        if (s.kind.equals("video")) {
                            ssrcs[video++] = s.ssrc;
                        }
                    }
                    continue;
                }
                for (SimulcastLayer layer : s.layers) { // each layer is a stream of its own to the publisher
                    if (layer.bound() && count < sources.length) {
                        clockRates[count] = s.codec.clockRate();
                        sources[count++] = layer.statistics();
                        ssrcs[video++] = layer.ssrc();
                    }
                }
            }
            if (count == 0) {
                continue;
            }
            int len = ReceiverReport.write(out.bytes, 0, e.localSsrc, sources, count, System.currentTimeMillis());
            for (int i = 0; i < count; i++) {
                if (sources[i].hasReceived()) {
                    quality.add(out.bytes, ReceiverReport.reportBlockOffset(0, i), clockRates[i]);
                }
            }
            if (video > 0) {
                // simulcast: the top layer may have the configured bitrate, the lower ones half as much again
                len += Remb.write(out.bytes, len, e.localSsrc, layered ? rembBitrate * 3 / 2 : rembBitrate, ssrcs, video);
            }
            forwarder.sendRtcp(e, out, len);
        }
    }
}
