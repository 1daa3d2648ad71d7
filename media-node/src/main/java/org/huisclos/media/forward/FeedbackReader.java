package org.huisclos.media.forward;

import org.huisclos.media.rtcp.Fir;
import org.huisclos.media.rtcp.RtcpIterator;
import org.huisclos.media.rtcp.RtcpPacket;
import org.huisclos.media.rtcp.SenderReport;
import org.huisclos.media.rtcp.TransportFeedback;
import org.huisclos.media.srtp.SrtpContext;
import org.huisclos.media.transport.DropReason;

/**
 * SRTCP from an endpoint, one {@link RtcpIterator} pass over the compound packet: a publisher's SR
 * goes on to its subscribers, a subscriber's PLI or FIR asks the publisher for a key frame, its NACK
 * is answered ({@link Retransmissions}), its transport-cc feedback feeds its bandwidth estimate. I/O
 * thread; the forwarder's buffers.
 */
final class FeedbackReader {
    private final Forwarder f;

    FeedbackReader(Forwarder f) {
        this.f = f;
    }

    void onRtcp(Endpoint from, SrtpContext inbound, byte[] buf, int off, int len) {
        int n = inbound.unprotectRtcp(buf, off, len);
        if (n < 0) {
            f.drops.drop(from.relay ? Forwarder.relayDropReason(n)
                    : n == SrtpContext.ERR_MALFORMED ? DropReason.RTCP_MALFORMED : Forwarder.srtpDropReason(n));
            return;
        }
        LinkHook link = from.linkHook;
        if (link != null) {
            link.received(len, true);
        }
        f.rtcp.reset(buf, off, n);
        while (f.rtcp.next()) {
            int type = f.rtcp.packetType();
            if (type == RtcpPacket.SR) {
                onSenderReport(from, buf, f.rtcp.offset(), f.rtcp.length());
            } else if (type == RtcpPacket.PSFB && (f.rtcp.fmt() == RtcpPacket.FMT_PLI || f.rtcp.fmt() == RtcpPacket.FMT_FIR)) {
                f.counters.pliReceived();
                Subscription sub = from.subscriptionBySsrc(feedbackTarget(buf, f.rtcp));
                if (sub != null) {
                    f.requestKeyframe(sub, f.out);
                }
            } else if (type == RtcpPacket.RTPFB && f.rtcp.fmt() == TransportFeedback.FMT) {
                if (from.bwe != null && TransportFeedback.parse(buf, f.rtcp.offset(), f.rtcp.length(), f.feedback)) {
                    from.bwe.onFeedback(f.feedback, System.nanoTime() / 1000);
                    from.estimateBps = from.bwe.estimateBps();
                    f.counters.transportFeedbackReceived();
                }
            } else if (type == RtcpPacket.RTPFB && f.rtcp.fmt() == RtcpPacket.FMT_NACK) {
                f.counters.nackReceived();
                Subscription sub = from.subscriptionBySsrc(f.rtcp.mediaSsrc());
                if (sub != null && (sub.stream.cache != null || sub.rewrite != null)) {
                    f.retransmissions.resend(sub, buf, f.rtcp.offset(), f.rtcp.length());
                }
            }
        }
        if (f.rtcp.malformed()) {
            f.drops.drop(DropReason.RTCP_MALFORMED);
        }
    }

    /** FIR names its target in the FCI (RFC 5104 §4.3.1); PLI in the media SSRC field. */
    private static int feedbackTarget(byte[] buf, RtcpIterator it) {
        if (it.fmt() == RtcpPacket.FMT_FIR && Fir.entryCount(it.length()) > 0) {
            return Fir.entrySsrc(buf, it.offset(), 0);
        }
        return it.mediaSsrc();
    }

    /** Forwards the sender info of a publisher's SR (not its report blocks, which are about our streams). */
    private void onSenderReport(Endpoint from, byte[] buf, int off, int len) {
        if (!SenderReport.isValid(buf, off, len)) {
            return;
        }
        int ssrc = SenderReport.senderSsrc(buf, off);
        PublishedStream stream = from.publishedBySsrc(ssrc);
        if (stream == null) {
            SimulcastLayer layer = from.relay ? null : from.boundLayer(ssrc);
            if (layer != null) {
                f.layers.onLayerSenderReport(layer, buf, off);
            }
            return;
        }
        stream.statistics.onSenderReport(SenderReport.ntpMiddle32(buf, off), System.currentTimeMillis());
        for (Subscription sub : stream.subscribers) {
            Endpoint to = sub.subscriber;
            if (sub.active && to.connected()) {
                System.arraycopy(buf, off, f.out.bytes, 0, SenderReport.FIXED_LENGTH);
                RtcpPacket.writeHeader(f.out.bytes, 0, 0, RtcpPacket.SR, SenderReport.FIXED_LENGTH);
                f.sendRtcp(to, f.out, SenderReport.FIXED_LENGTH);
            }
        }
    }
}
