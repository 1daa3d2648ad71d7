package org.huisclos.media.forward;

import org.huisclos.media.rtcp.RtcpPacket;
import org.huisclos.media.rtcp.SenderReport;
import org.huisclos.media.rtp.RtpPacket;
import org.huisclos.media.rtp.Vp8Descriptor;

/**
 * Stages 4 and 5 of {@link Forwarder} for a packet of a simulcast layer ({@link SimulcastLayer}): the
 * layer is bound on its first authentic packet, its statistics and cache kept, what the layer switch
 * needs read once ({@link VideoFrames}), and each subscriber that receives this layer now gets a copy
 * rewritten into its one stream ({@link RewrittenStream}). I/O thread; the forwarder's buffers.
 */
final class LayerForwarder {
    private final Forwarder f;
    private final VideoFrames frame = new VideoFrames();
    private volatile java.util.function.Consumer<PublishedStream> firstLayer = s -> { };

    LayerForwarder(Forwarder f) {
        this.f = f;
    }

    void onFirstLayer(java.util.function.Consumer<PublishedStream> listener) {
        this.firstLayer = listener;
    }

    /** The first authentic packet of a layer gives it its SSRC; the stream's first layer announces the stream. */
    void bind(SimulcastLayer layer, int ssrc) {
        layer.bind(ssrc);
        PublishedStream stream = layer.stream;
        if (!stream.announced) {
            stream.ssrc = ssrc;
            stream.announced = true;
            firstLayer.accept(stream);
        }
    }

    /** Stage 4 for a simulcast layer: statistics and cache per layer, and what the layer switch reads. */
    void receiveLayer(SimulcastLayer layer, byte[] buf, int off, int n) {
        f.counters.received(n);
        PublishedStream stream = layer.stream;
        layer.statistics().onPacket(RtpPacket.sequenceNumber(buf, off), RtpPacket.timestamp(buf, off),
                Forwarder.arrivalInClockUnits(stream));
        layer.cache.store(buf, off, n);
        layer.packets = layer.packets + 1; // one writer
        layer.lastPacketNanos = System.nanoTime();
        frame.read(stream.codec == org.huisclos.media.sdp.Codec.VP8, buf, off, n);
        if (frame.keyframeStart && frame.height > 0) {
            layer.width = frame.width;
            layer.height = frame.height;
        }
    }

    /**
     * Stage 5 for a simulcast layer: each subscriber that receives this layer now (or switches to it at
     * this key frame) gets a copy rewritten into its one stream; a subscriber waiting for a key frame of
     * another layer has one asked for (throttled per layer).
     */
    void fanOutLayer(SimulcastLayer layer, byte[] buf, int off, int n) {
        PublishedStream stream = layer.stream;
        Forwarder.PacketTap t = f.tap;
        if (t != null && stream.subscribers.length > 0) {
            t.forwarded(buf, off, n);
        }
        int seq = RtpPacket.sequenceNumber(buf, off);
        long ts = RtpPacket.timestamp(buf, off);
        long now = System.nanoTime();
        for (Subscription sub : stream.subscribers) {
            Endpoint to = sub.subscriber;
            RewrittenStream r = sub.rewrite;
            if (!sub.active || !to.connected()) {
                continue;
            }
            int switches = r.switches();
            if (!r.admit(layer.index, buf, off, frame.keyframeStart, now, frame.pictureId, frame.tl0PicIdx)) {
                int awaited = r.awaitedLayer(); // read once: the control thread may pause it meanwhile
                if (awaited != RewrittenStream.PAUSED && f.requestKeyframe(stream.layers[awaited], f.keyframeRequests)) {
                    f.counters.switchKeyframeRequested();
                }
                continue;
            }
            if (r.switches() != switches) {
                f.counters.layerSwitched();
            }
            int k = f.copyFor(to, buf, off, n);
            int outSeq = r.sequence(seq);
            long outTs = r.timestamp(ts);
            int pictureId = r.pictureId(frame.pictureId);
            int tl0 = r.tl0PicIdx(frame.tl0PicIdx);
            rewrite(f.out.bytes, k, stream.ssrc, outSeq, outTs, pictureId, tl0);
            r.sent(layer.index, seq, outSeq, outTs, pictureId, tl0, now);
            f.sendRtp(to, k);
        }
    }

    /** Writes a simulcast packet's new numbers into the copy at the start of {@code b}. */
    static void rewrite(byte[] b, int n, int ssrc, int seq, long ts, int pictureId, int tl0) {
        RtpPacket.setSsrc(b, 0, ssrc);
        RtpPacket.setSequenceNumber(b, 0, seq);
        RtpPacket.setTimestamp(b, 0, ts);
        if (pictureId >= 0 || tl0 >= 0) {
            int payload = RtpPacket.payloadOffset(b, 0);
            int length = RtpPacket.payloadLength(b, 0, n);
            if (pictureId >= 0) {
                Vp8Descriptor.setPictureId(b, payload, length, pictureId);
            }
            if (tl0 >= 0) {
                Vp8Descriptor.setTl0PicIdx(b, payload, length, tl0);
            }
        }
    }

    /** A simulcast layer's SR goes to the subscribers receiving that layer now, in their stream's numbers. */
    void onLayerSenderReport(SimulcastLayer layer, byte[] buf, int off) {
        PublishedStream stream = layer.stream;
        long ts = SenderReport.rtpTimestamp(buf, off);
        for (Subscription sub : stream.subscribers) {
            Endpoint to = sub.subscriber;
            if (sub.active && to.connected() && sub.rewrite.current() == layer.index) {
                System.arraycopy(buf, off, f.out.bytes, 0, SenderReport.FIXED_LENGTH);
                RtcpPacket.writeHeader(f.out.bytes, 0, 0, RtcpPacket.SR, SenderReport.FIXED_LENGTH);
                org.huisclos.media.bytes.Bytes.put32(f.out.bytes, 4, stream.ssrc);
                org.huisclos.media.bytes.Bytes.put32(f.out.bytes, 16, sub.rewrite.timestamp(ts));
                f.sendRtcp(to, f.out, SenderReport.FIXED_LENGTH);
            }
        }
    }
}
