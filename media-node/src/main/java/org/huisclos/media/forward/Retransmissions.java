package org.huisclos.media.forward;

import org.huisclos.media.rtcp.Nack;
import org.huisclos.media.rtp.HeaderExtensions;
import org.huisclos.media.rtp.RtpPacket;
import org.huisclos.media.rtp.Rtx;
import org.huisclos.media.rtp.Vp8Descriptor;
import org.huisclos.media.transport.DropReason;

/**
 * A subscriber's NACKs answered from the packet caches (RTX when negotiated), a simulcast subscriber's
 * mapped back to the layer and packet they name, and for a stream relayed from another node what the
 * cache misses asked of that node. I/O thread; the forwarder's buffers.
 */
final class Retransmissions {
    private final Forwarder f;

    Retransmissions(Forwarder f) {
        this.f = f;
    }

    /**
     * Answers a subscriber's NACK from the stream's cache. For a stream relayed from another node,
     * what the cache misses (lost on the link) is asked of the publisher's node with one NACK over
     * the link; its retransmission comes back through {@link #onRelayedRetransmission}.
     */
    void resend(Subscription sub, byte[] buf, int off, int len) {
        int count = Nack.lostSequenceNumbers(buf, off, len, f.lost);
        PublishedStream stream = sub.stream;
        Endpoint publisher = stream.publisher;
        int upstream = 0;
        for (int i = 0; i < count; i++) {
            if (!retransmit(sub, f.lost[i]) && publisher.relay) {
                f.missing[upstream++] = f.lost[i];
                sub.awaitUpstream(f.lost[i]);
            }
        }
        if (upstream > 0 && publisher.connected()) {
            int k = Nack.write(f.out.bytes, 0, publisher.localSsrc, stream.ssrc, f.missing, upstream);
            f.counters.nackForwarded();
            f.sendRtcp(publisher, f.out, k);
        }
    }

    /** Sends the subscriber packet {@code seq} of its stream again from the cache (RTX when negotiated). */
    private boolean retransmit(Subscription sub, int seq) {
        PublishedStream stream = sub.stream;
        int n = sub.rewrite == null ? stream.cache.copy(seq, f.scratch, 0) : copyRewritten(sub, seq);
        if (n < 0) {
            return false;
        }
        Endpoint to = sub.subscriber;
        if (to.bwe != null) { // numbered in place, so that the RTX packet carries the number too
            int k = HeaderExtensions.insertTransportSequence(f.scratch, 0, n, f.scratch, 0, Forwarder.TRANSPORT_CC,
                    to.transportSequence);
            if (k > 0) {
                f.numbered = to.transportSequence;
                to.transportSequence = (to.transportSequence + 1) & 0xffff;
                n = k;
            }
        }
        int k;
        if (stream.hasRtx()) {
            k = Rtx.writeRtx(f.scratch, 0, n, f.out.bytes, 0, stream.codec.rtxPayloadType(), stream.rtxSsrc,
                    sub.takeRtxSequence());
        } else {
            System.arraycopy(f.scratch, 0, f.out.bytes, 0, n);
            k = n;
        }
        if (k > 0) {
            f.counters.retransmitted();
            f.sendRtp(sub.subscriber, k);
        }
        f.numbered = -1; // not sent: the number is lost, as a packet lost on the way would be
        return k > 0;
    }

    /**
     * The packet a simulcast subscriber received as {@code outSeq}, from its layer's cache into
     * {@link #scratch} with the numbers it was sent with; its length, or -1 when no longer known.
     */
    private int copyRewritten(Subscription sub, int outSeq) {
        RewrittenStream r = sub.rewrite;
        int original = r.original(outSeq);
        if (original < 0) {
            return -1;
        }
        SimulcastLayer layer = sub.stream.layers[original >>> 16];
        int n = layer.cache.copy(original & 0xffff, f.scratch, 0);
        if (n < 0) {
            return -1;
        }
        boolean vp8 = sub.stream.codec == org.huisclos.media.sdp.Codec.VP8;
        int payload = RtpPacket.payloadOffset(f.scratch, 0);
        int length = RtpPacket.payloadLength(f.scratch, 0, n);
        int pictureId = vp8 ? r.pictureIdFor(outSeq, Vp8Descriptor.pictureId(f.scratch, payload, length)) : -1;
        int tl0 = vp8 ? r.tl0For(outSeq, Vp8Descriptor.tl0PicIdx(f.scratch, payload, length)) : -1;
        LayerForwarder.rewrite(f.scratch, n, sub.stream.ssrc, outSeq, r.timestampFor(outSeq, RtpPacket.timestamp(f.scratch, 0)), pictureId, tl0);
        return n;
    }

    /**
     * The publisher's node answered a NACK we sent over the link: the original packet goes into the
     * cache, and to the subscribers that asked for it, as they would have had it from the cache.
     */
    void onRelayedRetransmission(Endpoint link, PublishedStream stream, byte[] buf, int off, int n) {
        int k = Rtx.unwrapRtx(buf, off, n, f.scratch, 0, stream.codec.payloadType(), stream.ssrc);
        if (k < 0 || stream.cache == null) {
            f.drops.drop(DropReason.RTX_UPSTREAM);
            return;
        }
        f.counters.received(n);
        stream.cache.store(f.scratch, 0, k);
        int seq = RtpPacket.sequenceNumber(f.scratch, 0);
        for (Subscription sub : stream.subscribers) {
            if (sub.active && sub.subscriber.connected() && sub.takeAwaitedUpstream(seq)) {
                retransmit(sub, seq);
            }
        }
    }
}
