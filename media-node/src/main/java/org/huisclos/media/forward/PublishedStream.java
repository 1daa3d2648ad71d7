package org.huisclos.media.forward;

import java.util.concurrent.atomic.AtomicLong;
import org.huisclos.media.rtp.PacketCache;
import org.huisclos.media.rtp.ReceiveStatistics;
import org.huisclos.media.sdp.Codec;

/**
 * One audio or video stream a participant publishes, with the subscribers it is forwarded to.
 * SSRCs, sequence numbers and timestamps are forwarded unchanged: every subscriber's offer names
 * the publisher's SSRCs and payload types.
 */
public final class PublishedStream {
    /** How often a keyframe may be asked of one publisher's stream (WEBRTC-NOTES: ~300 ms). */
    static final long KEYFRAME_REQUEST_INTERVAL_NANOS = 300_000_000L;

    public final Endpoint publisher;
    /**
     * The participant whose media this is: the publisher's id, or for a stream that arrives over a
     * relay link (publisher = the link), the remote participant's id from the link's announcement.
     */
    public final String participantId;
    public final String kind;
    public final int ssrc;
    public final int rtxSsrc;
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
        this.publisher = publisher;
        this.participantId = participantId;
        this.kind = kind;
        this.ssrc = (int) ssrc;
        this.hasRtx = rtxSsrc >= 0;
        this.rtxSsrc = (int) rtxSsrc;
        this.codec = codec;
        this.cache = kind.equals("video") ? new PacketCache() : null;
        this.statistics = new ReceiveStatistics(this.ssrc);
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
