package org.huisclos.media.forward;

import java.util.concurrent.atomic.AtomicLong;
import org.huisclos.media.rtp.PacketCache;
import org.huisclos.media.rtp.ReceiveStatistics;
import org.huisclos.media.sdp.Codec;

/**
 * One audio or video stream a participant publishes, with the subscribers it is forwarded to.
 * SSRCs, sequence numbers and timestamps are forwarded unchanged: every subscriber's offer names
 * the publisher's SSRCs and payload types.
 *
 * <p>A simulcast video ({@link #layers} not null) is offered to subscribers as one stream under the
 * SSRC of the layer that arrived first and an RTX SSRC of the node's; each subscriber receives one
 * layer at a time, rewritten into that one continuous stream ({@link RewrittenStream}).
 */
public final class PublishedStream {
    /** How often a keyframe may be asked of one publisher's stream (WEBRTC-NOTES: ~300 ms). */
    static final long KEYFRAME_REQUEST_INTERVAL_NANOS = 300_000_000L;
    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

    public final Endpoint publisher;
    /**
     * The participant whose media this is: the publisher's id, or for a stream that arrives over a
     * relay link (publisher = the link), the remote participant's id from the link's announcement.
     */
    public final String participantId;
    public final String kind;
    /** kind is "audio" (read per packet: a field, not a string comparison). */
    final boolean audio;
    /**
     * The media SSRC, as offered to subscribers. For a simulcast stream it is set once on the I/O thread
     * when its first layer is bound, before the stream is announced to anyone (announcing hands it to the
     * control thread through the event loop's queue, which orders the write before every read there).
     */
    public int ssrc;
    public final int rtxSsrc;
    /** The simulcast layers, lowest first; null for a stream without simulcast. */
    public final SimulcastLayer[] layers;
    /** The layers' rids as ASCII, to match rtp-stream-ids without allocating; null without simulcast. */
    final byte[][] ridBytes;
    /** A simulcast stream is announced (offered to subscribers) once its first layer is bound. */
    volatile boolean announced;
    private final boolean hasRtx;
    public final Codec codec;
    /** Video only: what NACKs from subscribers are answered from. */
    final PacketCache cache;
    final ReceiveStatistics statistics;
    volatile Subscription[] subscribers = new Subscription[0];
    final AtomicLong lastKeyframeRequest = new AtomicLong(System.nanoTime() - KEYFRAME_REQUEST_INTERVAL_NANOS);

    PublishedStream(Endpoint publisher, String kind, long ssrc, long rtxSsrc, Codec codec) {
        this(publisher, publisher.participantId, kind, ssrc, rtxSsrc, codec);
    }

    PublishedStream(Endpoint publisher, String participantId, String kind, long ssrc, long rtxSsrc, Codec codec) {
        this(publisher, participantId, kind, ssrc, rtxSsrc, codec, java.util.List.of());
    }

    /** A simulcast video whose layers are {@code rids}, lowest first; its SSRCs come with its packets. */
    static PublishedStream simulcast(Endpoint publisher, java.util.List<String> rids, Codec codec) {
        long rtx = codec.rtxPayloadType() >= 0 ? RANDOM.nextInt() & 0xffffffffL : -1;
        return new PublishedStream(publisher, publisher.participantId, "video", 0, rtx, codec, rids);
    }

    private PublishedStream(Endpoint publisher, String participantId, String kind, long ssrc, long rtxSsrc, Codec codec,
                            java.util.List<String> rids) {
        this.publisher = publisher;
        this.participantId = participantId;
        this.kind = kind;
        this.audio = kind.equals("audio");
        this.ssrc = (int) ssrc;
        this.hasRtx = rtxSsrc >= 0;
        this.rtxSsrc = (int) rtxSsrc;
        this.codec = codec;
        this.cache = kind.equals("video") && rids.isEmpty() ? new PacketCache() : null;
        if (rids.isEmpty()) {
            this.layers = null;
            this.ridBytes = null;
        } else {
            this.layers = new SimulcastLayer[rids.size()];
            this.ridBytes = new byte[rids.size()][];
            for (int i = 0; i < layers.length; i++) {
                layers[i] = new SimulcastLayer(this, i, rids.get(i));
                ridBytes[i] = layers[i].ridBytes;
            }
        }
        this.statistics = new ReceiveStatistics(this.ssrc);
    }

    public boolean simulcast() {
        return layers != null;
    }

    /** The bound layer with this SSRC, or null. I/O thread; no allocation. */
    SimulcastLayer layerBySsrc(int ssrc) {
        for (SimulcastLayer l : layers) {
            if (l.ssrc() == ssrc && l.bound()) {
                return l;
            }
        }
        return null;
    }

    public boolean hasRtx() {
        return hasRtx;
    }

    public long ssrcUnsigned() {
        return ssrc & 0xffffffffL;
    }

    public long rtxSsrcUnsigned() {
        return hasRtx ? rtxSsrc & 0xffffffffL : -1;
    }

    /**
     * The msid track id offered for the stream: unique per stream, not only per participant and kind,
     * since one participant can have two live streams of a kind for a moment (moved to another node,
     * its new stream may arrive over a relay link before the old node's link has closed), and a
     * browser refuses an offer with a duplicate msid.
     */
    public String trackId() {
        return participantId + "-" + kind + "-" + ssrcUnsigned();
    }

    /** Receive statistics, for receiver reports: written on the I/O thread, read once a second elsewhere. */
    public ReceiveStatistics statistics() {
        return statistics;
    }

    public Subscription[] subscribers() {
        return subscribers;
    }

    /** True if a keyframe request may go out now; takes the slot when it does (thread-safe). */
    boolean takeKeyframeRequestSlot(long now) {
        long last = lastKeyframeRequest.get();
        return now - last >= KEYFRAME_REQUEST_INTERVAL_NANOS && lastKeyframeRequest.compareAndSet(last, now);
    }
}
