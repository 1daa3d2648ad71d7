package org.huisclos.media.forward;

import org.huisclos.media.rtp.ThreadOwner;

/** One endpoint receiving one published stream, on one m-line of its peer connection. */
public final class Subscription {
    public final PublishedStream stream;
    public final Endpoint subscriber;
    public final String mid;
    /**
     * The height in pixels the subscriber renders this video at (0: not shown), as its last view said;
     * unlimited until it says. Control thread.
     */
    int viewHeight = LayerChoice.NO_VIEW;
    /** For a simulcast stream: the one stream this subscriber receives of it; null otherwise. */
    public final RewrittenStream rewrite;
    /** Set once the subscriber has answered an offer with this m-line: before that it has nowhere to put the packets. */
    volatile boolean active;
    /** Sequence numbers of the RTX packets we send this subscriber (RFC 4588: the RTX stream is ours). I/O thread only. */
    private int rtxSequence;
    /** The I/O thread owns {@link #rtxSequence} and {@link #awaitedUpstream}; a use from another is counted. */
    final ThreadOwner owner = new ThreadOwner();
    /**
     * Sequence numbers this subscriber asked for that were not in this node's cache of a relayed
     * stream, so were asked of the publisher's node over the link: its retransmission comes back
     * for them. Each slot is seq + 1 (0: empty), the oldest overwritten. I/O thread only.
     */
    private final int[] awaitedUpstream = new int[16];
    private int nextAwaited;

    Subscription(PublishedStream stream, Endpoint subscriber, String mid) {
        this.stream = stream;
        this.subscriber = subscriber;
        this.mid = mid;
        this.rewrite = stream.layers == null ? null
                : new RewrittenStream(stream.codec.clockRate(), stream.layers.length - 1);
        this.rtxSequence = (int) (Math.random() * 65536);
    }

    /** The sequence number for the next RTX packet to this subscriber. */
    int takeRtxSequence() {
        owner.check();
        int seq = rtxSequence;
        rtxSequence = (seq + 1) & 0xffff;
        return seq;
    }

    public boolean active() {
        return active;
    }

    void awaitUpstream(int seq) {
        owner.check();
        awaitedUpstream[nextAwaited] = (seq & 0xffff) + 1;
        nextAwaited = (nextAwaited + 1) % awaitedUpstream.length;
    }

    /** Whether this subscriber awaits {@code seq} from upstream; it no longer does afterwards. */
    boolean takeAwaitedUpstream(int seq) {
        owner.check();
        int slot = (seq & 0xffff) + 1;
        for (int i = 0; i < awaitedUpstream.length; i++) {
            if (awaitedUpstream[i] == slot) {
                awaitedUpstream[i] = 0;
                return true;
            }
        }
        return false;
    }

    /** {@code a} with {@code s} appended (a new array: readers on the I/O thread see either the old one or this). */
    static Subscription[] with(Subscription[] a, Subscription s) {
        Subscription[] out = java.util.Arrays.copyOf(a, a.length + 1);
        out[a.length] = s;
        return out;
    }

    /** {@code a} without {@code s} (a new array), or {@code a} itself when it does not hold {@code s}. */
    static Subscription[] without(Subscription[] a, Subscription s) {
        int i = java.util.Arrays.asList(a).indexOf(s);
        if (i < 0) {
            return a;
        }
        Subscription[] out = new Subscription[a.length - 1];
        System.arraycopy(a, 0, out, 0, i);
        System.arraycopy(a, i + 1, out, i, a.length - i - 1);
        return out;
    }
}
