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

    Subscription(PublishedStream stream, Endpoint subscriber, String mid) {
        this.stream = stream;
        this.subscriber = subscriber;
        this.mid = mid;
        this.rtxSequence = (int) (Math.random() * 65536);
    }

    public boolean active() {
        return active;
    }
}
