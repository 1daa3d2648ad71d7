package org.huisclos.media.forward;

import org.huisclos.media.rtcp.RtcpIterator;
import org.huisclos.media.rtcp.RtcpPacket;
import org.huisclos.media.rtp.RtpPacket;
import org.huisclos.media.rtcp.TransportFeedback;
import org.huisclos.media.rtp.HeaderExtensions;
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
 *   5. fan out    for each active subscriber: copy (numbered for its bandwidth estimate), protect, send
 *                 ({@link #fanOut}); a simulcast layer's packet: the layer each subscriber gets, rewritten
 *                 into its one stream ({@link LayerForwarder})
 * RTCP ({@link FeedbackReader}): unprotect → for each packet: SR → forward to subscribers | PLI, FIR →
 *   keyframe request | NACK → resend from cache ({@link Retransmissions}) | transport-cc → bandwidth estimate
 * </pre>
 *
 * A relay link to another media node is an {@link Endpoint} with {@code relay} set: what differs for
 * it here is its drop reasons, its byte accounting ({@link LinkHook}), and that retransmissions
 * come and go over it (stage 1 and {@link Retransmissions}).
 *
 * Nothing here allocates: the receive buffer is decrypted in place, every subscriber's copy is
 * made in one send buffer, and the stream and subscriber arrays are read, not copied.
 */
public final class Forwarder {
    // Shared with LayerForwarder, Retransmissions and FeedbackReader: the one I/O thread's buffers.
    final DropCounters drops;
    final ForwardingCounters counters;
    final SendBuffer out = new SendBuffer();
    final byte[] scratch = new byte[SendBuffer.SIZE];
    final int[] lost = new int[256];
    final int[] missing = new int[256];
    final RtcpIterator rtcp = new RtcpIterator();
    final SendBuffer keyframeRequests = new SendBuffer();
    static final int TRANSPORT_CC = org.huisclos.media.sdp.HeaderExtension.TRANSPORT_CC.id();
    private static final int AUDIO_LEVEL = org.huisclos.media.sdp.HeaderExtension.AUDIO_LEVEL.id();
    /** The transport-wide sequence number of the packet in {@link #out}, or -1 (I/O thread). */
    int numbered = -1;
    final TransportFeedback.Result feedback = new TransportFeedback.Result();
    final LayerForwarder layers = new LayerForwarder(this);
    final Retransmissions retransmissions = new Retransmissions(this);
    private final FeedbackReader feedbackReader = new FeedbackReader(this);

    /** Sees forwarded RTP packets; see {@link #tap(PacketTap)}. */
    public interface PacketTap {
        /** {@code buf[off, off+len)} is the decrypted RTP packet; copy what you keep, on the I/O thread. */
        void forwarded(byte[] buf, int off, int len);
    }

    /**
     * For tests that must see what the node forwards (for example that end-to-end encrypted video
     * is not readable VP8): null, and so one volatile read per packet, unless a test sets it.
     */
    volatile PacketTap tap;

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
        layers.onFirstLayer(listener);
    }

    /** An RTP or RTCP datagram (first byte 128..191) from {@code from}. */
    public void onSrtp(Endpoint from, byte[] buf, int off, int len) {
        SrtpContext inbound = from.inbound;
        if (inbound == null) {
            drops.drop(DropReason.RTP_BEFORE_DTLS);
            return;
        }
        if (RtpPacket.isRtcp(buf, off, len)) {
            feedbackReader.onRtcp(from, inbound, buf, off, len);
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
            retransmissions.onRelayedRetransmission(from, retransmitted, buf, off, n);
            return;
        }
        if (layer != null) {
            if (!layer.bound()) {
                layers.bind(layer, RtpPacket.ssrc(buf, off));
            }
            // 4. receive, 5. choose the layer and fan out, rewritten
            layers.receiveLayer(layer, buf, off, n);
            layers.fanOutLayer(layer, buf, off, n);
            return;
        }
        // 4. receive, 5. fan out
        receive(stream, buf, off, n);
        fanOut(stream, buf, off, n);
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
    int copyFor(Endpoint to, byte[] buf, int off, int n) {
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

    void sendRtp(Endpoint to, int len) {
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
    boolean requestKeyframe(SimulcastLayer layer, SendBuffer buffer) {
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
    static DropReason relayDropReason(int error) {
        return error == SrtpContext.ERR_REPLAY ? DropReason.RELAY_SRTP_REPLAY : DropReason.RELAY_SRTP_AUTH_FAILED;
    }

    static DropReason srtpDropReason(int error) {
        if (error == SrtpContext.ERR_REPLAY) {
            return DropReason.SRTP_REPLAY;
        }
        if (error == SrtpContext.ERR_TOO_MANY_SSRCS) {
            return DropReason.SRTP_TOO_MANY_SSRCS;
        }
        return error == SrtpContext.ERR_MALFORMED ? DropReason.RTP_MALFORMED : DropReason.SRTP_AUTH_FAILED;
    }

    static long arrivalInClockUnits(PublishedStream stream) {
        return (long) (System.nanoTime() * (stream.codec.clockRate() / 1e9));
    }
}
