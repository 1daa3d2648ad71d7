package org.huisclos.media.forward;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.huisclos.media.rtp.PacketCache;
import org.huisclos.media.rtp.ReceiveStatistics;

/**
 * One simulcast layer (RFC 8853) of a published video: the encoding the browser sends under one rid.
 * Its SSRC is learnt from the first packet that carries the rid in its rtp-stream-id and authenticates
 * ({@link #bind}, I/O thread, once); until then the layer is unbound and its packets are admitted only
 * by that rid. The node keeps receive statistics and a packet cache per layer, as it does per stream.
 */
public final class SimulcastLayer {
    public final PublishedStream stream;
    /** The layer's place in the stream's layers, lowest first (the offer's order: q, h, f). */
    public final int index;
    public final String rid;
    final byte[] ridBytes;
    final PacketCache cache = new PacketCache();
    private volatile int ssrc;
    private volatile boolean bound;
    private volatile ReceiveStatistics statistics;
    /** A layer without a packet for this long is not sent now (the browser stopped it, or the publisher paused). */
    static final long SENT_WITHIN_NANOS = 1_000_000_000L;
    /**
     * {@link System#nanoTime()} of the layer's last packet (I/O thread writes): a layer that got one within
     * {@link #SENT_WITHIN_NANOS} is sent now, whenever a choice is made (a view can come just after the
     * once-a-second choice, before any layer's next packet).
     */
    volatile long lastPacketNanos = System.nanoTime() - SENT_WITHIN_NANOS;
    /** Frame size of the layer's last key frame (VP8 carries it there), 0 before one. */
    volatile int width;
    volatile int height;
    /** Packets received, for the allocation to see which layers the publisher sends now (I/O thread writes). */
    volatile long packets;
    /** {@link #packets} at the previous choice of layers (control thread): a layer that got none since is not sent now. */
    long packetsSeen;
    /** Whether the publisher was last told to encode this layer (it starts encoding all); control thread. */
    boolean encoded = true;
    /** Since when no subscriber wants this layer (ms), 0 while one does; control thread. */
    long unwantedSince;
    final AtomicLong lastKeyframeRequest = new AtomicLong(System.nanoTime() - PublishedStream.KEYFRAME_REQUEST_INTERVAL_NANOS);

    SimulcastLayer(PublishedStream stream, int index, String rid) {
        this.stream = stream;
        this.index = index;
        this.rid = rid;
        this.ridBytes = rid.getBytes(StandardCharsets.US_ASCII);
    }

    public boolean bound() {
        return bound;
    }

    /** The layer's SSRC; meaningful once {@link #bound()}. */
    public int ssrc() {
        return ssrc;
    }

    /** Receive statistics, null before the layer is bound. */
    public ReceiveStatistics statistics() {
        return statistics;
    }

    public int height() {
        return height;
    }

    public long packets() {
        return packets;
    }

    /** The layer's SSRC is now known (I/O thread, once): its statistics start, and the stream's lookup finds it. */
    void bind(int ssrc) {
        this.ssrc = ssrc;
        this.statistics = new ReceiveStatistics(ssrc);
        this.bound = true;
    }

    boolean takeKeyframeRequestSlot(long now) {
        long last = lastKeyframeRequest.get();
        return now - last >= PublishedStream.KEYFRAME_REQUEST_INTERVAL_NANOS && lastKeyframeRequest.compareAndSet(last, now);
    }
}
