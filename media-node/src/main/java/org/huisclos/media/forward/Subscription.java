package org.huisclos.media.forward;

/** One endpoint receiving one published stream, on one m-line of its peer connection. */
public final class Subscription {
    public final PublishedStream stream;
    public final Endpoint subscriber;
    public final String mid;
    /** Set once the subscriber has answered an offer with this m-line: before that it has nowhere to put the packets. */
    volatile boolean active;
    /** Sequence numbers of the RTX packets we send this subscriber (RFC 4588: the RTX stream is ours). I/O thread only. */
    int rtxSequence;
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
        this.rtxSequence = (int) (Math.random() * 65536);
    }

    public boolean active() {
        return active;
    }

    void awaitUpstream(int seq) {
        awaitedUpstream[nextAwaited] = (seq & 0xffff) + 1;
        nextAwaited = (nextAwaited + 1) % awaitedUpstream.length;
    }

    /** Whether this subscriber awaits {@code seq} from upstream; it no longer does afterwards. */
    boolean takeAwaitedUpstream(int seq) {
        int slot = (seq & 0xffff) + 1;
        for (int i = 0; i < awaitedUpstream.length; i++) {
            if (awaitedUpstream[i] == slot) {
                awaitedUpstream[i] = 0;
                return true;
            }
        }
        return false;
    }
}
