package org.huisclos.media.forward;

import org.huisclos.media.rtcp.Fir;
import org.huisclos.media.rtcp.Nack;
import org.huisclos.media.rtcp.RtcpIterator;
import org.huisclos.media.rtcp.SenderReport;
import org.huisclos.media.rtcp.RtcpPacket;
import org.huisclos.media.rtp.RtpPacket;
import org.huisclos.media.rtcp.TransportFeedback;
import org.huisclos.media.rtp.HeaderExtensions;
import org.huisclos.media.rtp.Rtx;
import org.huisclos.media.rtp.Vp8Descriptor;
import org.huisclos.media.srtp.SrtpContext;
import org.huisclos.media.transport.DropCounters;
import org.huisclos.media.transport.DropReason;
import org.huisclos.media.transport.SendBuffer;
import org.huisclos.media.transport.Path;

/**
 * The per-packet path, on the I/O thread, for SRTP and SRTCP from a connected endpoint:
 *
 * <pre>
 * RTP, in named stages (one method or block each, in {@link #onRtp}):
 *   1. admit      the clear SSRC names a stream the endpoint published (from a relay link also: the
 *                 RTX SSRC of a relayed stream, a retransmission we asked the peer node for)
 *   2. unprotect  SRTP authentication and decryption in place ({@link #unprotect}); a link counts its bytes
 *   3. validate   a well-formed RTP header
 *   4. receive    receive statistics and the packet cache ({@link #receive})
 *                 — the place for audio levels (RFC 6464) and transport-wide sequence numbers
 *   5. fan out    for each active subscriber: copy, protect, send ({@link #fanOut})
 *                 — the place for simulcast layer selection, per subscriber
 * RTCP: unprotect → for each packet: SR → forward to subscribers | PLI, FIR → keyframe request | NACK → resend from cache
 * </pre>
 *
 * A relay link to another media node is an {@link Endpoint} with {@code relay} set: what differs for
 * it here is its drop reasons, its byte accounting ({@link LinkHook}), and that retransmissions
 * come and go over it (stage 1 and {@link #resend}).
 *
 * Nothing here allocates: the receive buffer is decrypted in place, every subscriber's copy is
 * made in one send buffer, and the stream and subscriber arrays are read, not copied.
 */
public final class Forwarder {
    private final DropCounters drops;
    private final ForwardingCounters counters;
    private final SendBuffer out = new SendBuffer();
    private final byte[] scratch = new byte[SendBuffer.SIZE];
    private final int[] lost = new int[256];
    private final int[] missing = new int[256];
    private final RtcpIterator rtcp = new RtcpIterator();
    private final SendBuffer keyframeRequests = new SendBuffer();
    private static final int TRANSPORT_CC = org.huisclos.media.sdp.HeaderExtension.TRANSPORT_CC.id();
    private static final int AUDIO_LEVEL = org.huisclos.media.sdp.HeaderExtension.AUDIO_LEVEL.id();
    /** The transport-wide sequence number of the packet in {@link #out}, or -1 (I/O thread). */
    private int numbered = -1;
    private final TransportFeedback.Result feedback = new TransportFeedback.Result();
    private final VideoFrames frame = new VideoFrames();
    private java.util.function.Consumer<PublishedStream> firstLayer = s -> { };

    /** Sees forwarded RTP packets; see {@link #tap(PacketTap)}. */
    public interface PacketTap {
        /** {@code buf[off, off+len)} is the decrypted RTP packet; copy what you keep, on the I/O thread. */
        void forwarded(byte[] buf, int off, int len);
    }

    /**
     * For tests that must see what the node forwards (for example that end-to-end encrypted video
     * is not readable VP8): null, and so one volatile read per packet, unless a test sets it.
     */
    private volatile PacketTap tap;

    /** Sets (or, with null, removes) the tap that sees every forwarded packet; for tests only. */
    public void tap(PacketTap tap) {
        this.tap = tap;
    }

    /**
     * One per media node, used on its one I/O thread (which reads both the UDP and the ICE-TCP
     * port): its buffers, and the packet caches and subscriptions it changes, have that one owner.
     * Other threads only call {@link #sendRtcp} and {@link #requestKeyframe}, with their own buffer.
     * Subscribers are reached on their selected {@link Path}, UDP or ICE-TCP.
     */
    public Forwarder(DropCounters drops, ForwardingCounters counters) {
        this.drops = drops;
        this.counters = counters;
    }

    /**
     * Called on the I/O thread when the first layer of a simulcast stream is bound: the stream now has
     * its SSRC and is to be announced to the room (on the control thread: the listener hands it over).
     */
    public void onFirstLayer(java.util.function.Consumer<PublishedStream> listener) {
        this.firstLayer = listener;
    }

    /** An RTP or RTCP datagram (first byte 128..191) from {@code from}. */
    public void onSrtp(Endpoint from, byte[] buf, int off, int len) {
        SrtpContext inbound = from.inbound;
        if (inbound == null) {
            drops.drop(DropReason.RTP_BEFORE_DTLS);
            return;
        }
        if (RtpPacket.isRtcp(buf, off, len)) {
            onRtcp(from, inbound, buf, off, len);
        } else {
            onRtp(from, inbound, buf, off, len);
        }
    }

    private void onRtp(Endpoint from, SrtpContext inbound, byte[] buf, int off, int len) {
        // 1. admit
        PublishedStream stream = null;
        PublishedStream retransmitted = null;
        SimulcastLayer layer = null;
        if (len >= RtpPacket.FIXED_HEADER_LENGTH) {
            // The SSRC is in the clear: a stream nobody published is dropped before decryption, so a
            // participant, who holds its own keys, cannot make the node keep SRTP state for any SSRC.
            // A simulcast layer is found by its SSRC once bound, before that by its rid (also in the clear).
            int ssrc = RtpPacket.ssrc(buf, off);
            stream = from.publishedBySsrc(ssrc);
            if (stream == null && !from.relay) {
                layer = from.simulcastLayer(ssrc, buf, off, len);
                stream = layer == null ? null : layer.stream;
            }
            retransmitted = stream == null && from.relay ? from.publishedByRtxSsrc(ssrc) : null;
            if (stream == null && retransmitted == null) {
                drops.drop(from.publishesRtxSsrc(ssrc) || from.repairsSimulcast(buf, off, len)
                        ? DropReason.RTX_UPSTREAM : DropReason.RTP_UNKNOWN_SSRC);
                return;
            }
        }
        // 2. unprotect
        int n = unprotect(from, inbound, buf, off, len);
        if (n < 0) {
            return;
        }
        // 3. validate
        if (!RtpPacket.isValid(buf, off, n)) {
            drops.drop(DropReason.RTP_MALFORMED);
            return;
        }
        if (retransmitted != null) {
            onRelayedRetransmission(from, retransmitted, buf, off, n);
            return;
        }
        if (layer != null) {
            if (!layer.bound()) {
                bind(layer, RtpPacket.ssrc(buf, off));
            }
            // 4. receive, 5. choose the layer and fan out, rewritten
            receiveLayer(layer, buf, off, n);
            fanOutLayer(layer, buf, off, n);
            return;
        }
        // 4. receive, 5. fan out
        receive(stream, buf, off, n);
        fanOut(stream, buf, off, n);
    }

    /** The first authentic packet of a layer gives it its SSRC; the stream's first layer announces the stream. */
    private void bind(SimulcastLayer layer, int ssrc) {
        layer.bind(ssrc);
        PublishedStream stream = layer.stream;
        if (!stream.announced) {
            stream.ssrc = ssrc;
            stream.announced = true;
            firstLayer.accept(stream);
        }
    }

    /** Stage 4 for a simulcast layer: statistics and cache per layer, and what the layer switch reads. */
    private void receiveLayer(SimulcastLayer layer, byte[] buf, int off, int n) {
        counters.received(n);
        PublishedStream stream = layer.stream;
        layer.statistics().onPacket(RtpPacket.sequenceNumber(buf, off), RtpPacket.timestamp(buf, off),
                arrivalInClockUnits(stream));
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
    private void fanOutLayer(SimulcastLayer layer, byte[] buf, int off, int n) {
        PublishedStream stream = layer.stream;
        PacketTap t = tap;
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
                if (awaited != RewrittenStream.PAUSED && requestKeyframe(stream.layers[awaited], keyframeRequests)) {
                    counters.switchKeyframeRequested();
                }
                continue;
            }
            if (r.switches() != switches) {
                counters.layerSwitched();
            }
            int k = copyFor(to, buf, off, n);
            int outSeq = r.sequence(seq);
            long outTs = r.timestamp(ts);
            int pictureId = r.pictureId(frame.pictureId);
            int tl0 = r.tl0PicIdx(frame.tl0PicIdx);
            rewrite(out.bytes, k, stream.ssrc, outSeq, outTs, pictureId, tl0);
            r.sent(layer.index, seq, outSeq, outTs, pictureId, tl0, now);
            sendRtp(to, k);
        }
    }

    /** Writes a simulcast packet's new numbers into the copy at the start of {@code b}. */
    private static void rewrite(byte[] b, int n, int ssrc, int seq, long ts, int pictureId, int tl0) {
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

    /** Stage 2: the packet authenticated and decrypted in place, its new length; or -1, dropped and counted. */
    private int unprotect(Endpoint from, SrtpContext inbound, byte[] buf, int off, int len) {
        int n = inbound.unprotectRtp(buf, off, len); // shorter than a header: fails here as malformed
        if (n < 0) {
            drops.drop(from.relay ? relayDropReason(n) : srtpDropReason(n));
            return -1;
        }
        LinkHook link = from.linkHook;
        if (link != null) {
            link.received(len, false);
        }
        return n;
    }

    /**
     * Stage 4: what the node learns from a publisher's packet (its audio level, RFC 6464, for the room's
     * dominant speaker), and keeps of it for retransmissions.
     */
    private void receive(PublishedStream stream, byte[] buf, int off, int n) {
        counters.received(n);
        if (stream.audio && !stream.publisher.relay) {
            int level = HeaderExtensions.audioLevel(buf, off, n, AUDIO_LEVEL);
            if (level >= 0) {
                stream.publisher.room.speakers.onLevel(stream.publisher.speakerIndex, HeaderExtensions.level(level),
                        System.nanoTime() / 1_000_000);
            }
        }
        stream.statistics.onPacket(RtpPacket.sequenceNumber(buf, off), RtpPacket.timestamp(buf, off),
                arrivalInClockUnits(stream));
        if (stream.cache != null) {
            stream.cache.store(buf, off, n);
        }
    }

    /** Stage 5: one protected copy to each active, connected subscriber. */
    private void fanOut(PublishedStream stream, byte[] buf, int off, int n) {
        PacketTap t = tap;
        if (t != null && stream.subscribers.length > 0) {
            t.forwarded(buf, off, n);
        }
        for (Subscription sub : stream.subscribers) {
            Endpoint to = sub.subscriber;
            if (sub.active && to.connected()) {
                sendRtp(to, copyFor(to, buf, off, n));
            }
        }
    }

    /**
     * Copies a packet into {@link #out} for {@code to}: with a transport-wide sequence number of its own
     * when the node estimates {@code to}'s bandwidth ({@link #numbered} then holds it, for
     * {@link #sendRtp} to record). Returns the copy's length.
     */
    private int copyFor(Endpoint to, byte[] buf, int off, int n) {
        if (to.bwe != null) {
            int seq = to.transportSequence;
            int k = HeaderExtensions.insertTransportSequence(buf, off, n, out.bytes, 0, TRANSPORT_CC, seq);
            if (k > 0) {
                to.transportSequence = (seq + 1) & 0xffff;
                numbered = seq;
                return k;
            }
        }
        System.arraycopy(buf, off, out.bytes, 0, n);
        return n;
    }

    private void onRtcp(Endpoint from, SrtpContext inbound, byte[] buf, int off, int len) {
        int n = inbound.unprotectRtcp(buf, off, len);
        if (n < 0) {
            drops.drop(from.relay ? relayDropReason(n)
                    : n == SrtpContext.ERR_MALFORMED ? DropReason.RTCP_MALFORMED : srtpDropReason(n));
            return;
        }
        LinkHook link = from.linkHook;
        if (link != null) {
            link.received(len, true);
        }
        rtcp.reset(buf, off, n);
        while (rtcp.next()) {
            int type = rtcp.packetType();
            if (type == RtcpPacket.SR) {
                onSenderReport(from, buf, rtcp.offset(), rtcp.length());
            } else if (type == RtcpPacket.PSFB && (rtcp.fmt() == RtcpPacket.FMT_PLI || rtcp.fmt() == RtcpPacket.FMT_FIR)) {
                counters.pliReceived();
                Subscription sub = from.subscriptionBySsrc(feedbackTarget(buf, rtcp));
                if (sub != null) {
                    requestKeyframe(sub, out);
                }
            } else if (type == RtcpPacket.RTPFB && rtcp.fmt() == TransportFeedback.FMT) {
                if (from.bwe != null && TransportFeedback.parse(buf, rtcp.offset(), rtcp.length(), feedback)) {
                    from.bwe.onFeedback(feedback, System.nanoTime() / 1000);
                    from.estimateBps = from.bwe.estimateBps();
                    counters.transportFeedbackReceived();
                }
            } else if (type == RtcpPacket.RTPFB && rtcp.fmt() == RtcpPacket.FMT_NACK) {
                counters.nackReceived();
                Subscription sub = from.subscriptionBySsrc(rtcp.mediaSsrc());
                if (sub != null && (sub.stream.cache != null || sub.rewrite != null)) {
                    resend(sub, buf, rtcp.offset(), rtcp.length());
                }
            }
        }
        if (rtcp.malformed()) {
            drops.drop(DropReason.RTCP_MALFORMED);
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
                onLayerSenderReport(layer, buf, off);
            }
            return;
        }
        stream.statistics.onSenderReport(SenderReport.ntpMiddle32(buf, off), System.currentTimeMillis());
        for (Subscription sub : stream.subscribers) {
            Endpoint to = sub.subscriber;
            if (sub.active && to.connected()) {
                System.arraycopy(buf, off, out.bytes, 0, SenderReport.FIXED_LENGTH);
                RtcpPacket.writeHeader(out.bytes, 0, 0, RtcpPacket.SR, SenderReport.FIXED_LENGTH);
                sendRtcp(to, out, SenderReport.FIXED_LENGTH);
            }
        }
    }

    /** A simulcast layer's SR goes to the subscribers receiving that layer now, in their stream's numbers. */
    private void onLayerSenderReport(SimulcastLayer layer, byte[] buf, int off) {
        PublishedStream stream = layer.stream;
        long ts = SenderReport.rtpTimestamp(buf, off);
        for (Subscription sub : stream.subscribers) {
            Endpoint to = sub.subscriber;
            if (sub.active && to.connected() && sub.rewrite.current() == layer.index) {
                System.arraycopy(buf, off, out.bytes, 0, SenderReport.FIXED_LENGTH);
                RtcpPacket.writeHeader(out.bytes, 0, 0, RtcpPacket.SR, SenderReport.FIXED_LENGTH);
                org.huisclos.media.bytes.Bytes.put32(out.bytes, 4, stream.ssrc);
                org.huisclos.media.bytes.Bytes.put32(out.bytes, 16, sub.rewrite.timestamp(ts));
                sendRtcp(to, out, SenderReport.FIXED_LENGTH);
            }
        }
    }

    /**
     * Answers a subscriber's NACK from the stream's cache. For a stream relayed from another node,
     * what the cache misses (lost on the link) is asked of the publisher's node with one NACK over
     * the link; its retransmission comes back through {@link #onRelayedRetransmission}.
     */
    private void resend(Subscription sub, byte[] buf, int off, int len) {
        int count = Nack.lostSequenceNumbers(buf, off, len, lost);
        PublishedStream stream = sub.stream;
        Endpoint publisher = stream.publisher;
        int upstream = 0;
        for (int i = 0; i < count; i++) {
            if (!retransmit(sub, lost[i]) && publisher.relay) {
                missing[upstream++] = lost[i];
                sub.awaitUpstream(lost[i]);
            }
        }
        if (upstream > 0 && publisher.connected()) {
            int k = Nack.write(out.bytes, 0, publisher.localSsrc, stream.ssrc, missing, upstream);
            counters.nackForwarded();
            sendRtcp(publisher, out, k);
        }
    }

    /** Sends the subscriber packet {@code seq} of its stream again from the cache (RTX when negotiated). */
    private boolean retransmit(Subscription sub, int seq) {
        PublishedStream stream = sub.stream;
        int n = sub.rewrite == null ? stream.cache.copy(seq, scratch, 0) : copyRewritten(sub, seq);
        if (n < 0) {
            return false;
        }
        Endpoint to = sub.subscriber;
        if (to.bwe != null) { // numbered in place, so that the RTX packet carries the number too
            int k = HeaderExtensions.insertTransportSequence(scratch, 0, n, scratch, 0, TRANSPORT_CC,
                    to.transportSequence);
            if (k > 0) {
                numbered = to.transportSequence;
                to.transportSequence = (to.transportSequence + 1) & 0xffff;
                n = k;
            }
        }
        int k;
        if (stream.hasRtx()) {
            k = Rtx.writeRtx(scratch, 0, n, out.bytes, 0, stream.codec.rtxPayloadType(), stream.rtxSsrc,
                    sub.takeRtxSequence());
        } else {
            System.arraycopy(scratch, 0, out.bytes, 0, n);
            k = n;
        }
        if (k > 0) {
            counters.retransmitted();
            sendRtp(sub.subscriber, k);
        }
        numbered = -1; // not sent: the number is lost, as a packet lost on the way would be
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
        int n = layer.cache.copy(original & 0xffff, scratch, 0);
        if (n < 0) {
            return -1;
        }
        boolean vp8 = sub.stream.codec == org.huisclos.media.sdp.Codec.VP8;
        int payload = RtpPacket.payloadOffset(scratch, 0);
        int length = RtpPacket.payloadLength(scratch, 0, n);
        int pictureId = vp8 ? r.pictureIdFor(outSeq, Vp8Descriptor.pictureId(scratch, payload, length)) : -1;
        int tl0 = vp8 ? r.tl0For(outSeq, Vp8Descriptor.tl0PicIdx(scratch, payload, length)) : -1;
        rewrite(scratch, n, sub.stream.ssrc, outSeq, r.timestampFor(outSeq, RtpPacket.timestamp(scratch, 0)), pictureId, tl0);
        return n;
    }

    /**
     * The publisher's node answered a NACK we sent over the link: the original packet goes into the
     * cache, and to the subscribers that asked for it, as they would have had it from the cache.
     */
    private void onRelayedRetransmission(Endpoint link, PublishedStream stream, byte[] buf, int off, int n) {
        int k = Rtx.unwrapRtx(buf, off, n, scratch, 0, stream.codec.payloadType(), stream.ssrc);
        if (k < 0 || stream.cache == null) {
            drops.drop(DropReason.RTX_UPSTREAM);
            return;
        }
        counters.received(n);
        stream.cache.store(scratch, 0, k);
        int seq = RtpPacket.sequenceNumber(scratch, 0);
        for (Subscription sub : stream.subscribers) {
            if (sub.active && sub.subscriber.connected() && sub.takeAwaitedUpstream(seq)) {
                retransmit(sub, seq);
            }
        }
    }

    private void sendRtp(Endpoint to, int len) {
        int k;
        synchronized (to.outboundLock) {
            k = to.outbound.protectRtp(out.bytes, 0, len);
        }
        int seq = numbered;
        if (seq >= 0) {
            numbered = -1;
            if (k > 0 && to.selected != null) {
                to.bwe.onPacketSent(seq, k, System.nanoTime() / 1000);
            }
        }
        send(to, out, k);
    }

    /** Protects and sends an RTCP packet already written to {@code buffer}; any thread, with its own buffer. */
    public void sendRtcp(Endpoint to, SendBuffer buffer, int len) {
        if (!to.connected()) {
            return;
        }
        int k;
        synchronized (to.outboundLock) {
            k = to.outbound.protectRtcp(buffer.bytes, 0, len);
        }
        send(to, buffer, k);
    }

    private void send(Endpoint to, SendBuffer buffer, int len) {
        Path path = to.selected;
        if (path != null && len > 0) {
            path.send(buffer, len);
            counters.sent(len);
            LinkHook link = to.linkHook;
            if (link != null) {
                link.sent(buffer.bytes, len);
            }
        }
    }

    /**
     * Asks the publisher of {@code stream} for a keyframe with a PLI (RFC 4585 §6.3.1), at most
     * once per {@link PublishedStream#KEYFRAME_REQUEST_INTERVAL_NANOS}. Any thread, with its own buffer.
     */
    public void requestKeyframe(PublishedStream stream, SendBuffer buffer) {
        if (stream.layers != null) {
            for (SimulcastLayer layer : stream.layers) {
                requestKeyframe(layer, buffer);
            }
            return;
        }
        if (!stream.kind.equals("video") || !stream.takeKeyframeRequestSlot(System.nanoTime())) {
            return;
        }
        Endpoint publisher = stream.publisher;
        int len = RtcpPacket.writePli(buffer.bytes, 0, publisher.localSsrc, stream.ssrc);
        counters.keyframeRequested();
        sendRtcp(publisher, buffer, len);
    }

    /**
     * What a subscriber needs to decode again: a key frame of its stream, or for a simulcast stream of
     * the layer it receives or waits for. Any thread, with its own buffer.
     */
    public void requestKeyframe(Subscription sub, SendBuffer buffer) {
        RewrittenStream r = sub.rewrite;
        if (r == null) {
            requestKeyframe(sub.stream, buffer);
            return;
        }
        int layer = r.target;
        if (layer != RewrittenStream.PAUSED) {
            requestKeyframe(sub.stream.layers[layer], buffer);
        }
    }

    /** A PLI for one simulcast layer, once bound, at most once per {@link PublishedStream#KEYFRAME_REQUEST_INTERVAL_NANOS}. */
    private boolean requestKeyframe(SimulcastLayer layer, SendBuffer buffer) {
        if (!layer.bound() || !layer.takeKeyframeRequestSlot(System.nanoTime())) {
            return false;
        }
        Endpoint publisher = layer.stream.publisher;
        int len = RtcpPacket.writePli(buffer.bytes, 0, publisher.localSsrc, layer.ssrc());
        counters.keyframeRequested();
        sendRtcp(publisher, buffer, len);
        return true;
    }

    /** The counters, for the control thread's layer gauges. */
    ForwardingCounters counters() {
        return counters;
    }

    /** SRTP from a relay link's pinned address that does not authenticate: someone spoofs the other node. */
    private static DropReason relayDropReason(int error) {
        return error == SrtpContext.ERR_REPLAY ? DropReason.RELAY_SRTP_REPLAY : DropReason.RELAY_SRTP_AUTH_FAILED;
    }

    private static DropReason srtpDropReason(int error) {
        if (error == SrtpContext.ERR_REPLAY) {
            return DropReason.SRTP_REPLAY;
        }
        if (error == SrtpContext.ERR_TOO_MANY_SSRCS) {
            return DropReason.SRTP_TOO_MANY_SSRCS;
        }
        return error == SrtpContext.ERR_MALFORMED ? DropReason.RTP_MALFORMED : DropReason.SRTP_AUTH_FAILED;
    }

    private static long arrivalInClockUnits(PublishedStream stream) {
        return (long) (System.nanoTime() * (stream.codec.clockRate() / 1e9));
    }
}
