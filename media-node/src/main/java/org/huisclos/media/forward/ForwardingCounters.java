package org.huisclos.media.forward;

import java.util.concurrent.atomic.LongAdder;

/** Packet and byte counts of the forwarding path, for metrics and the benchmark. */
public final class ForwardingCounters {
    private final LongAdder packetsIn = new LongAdder();
    private final LongAdder bytesIn = new LongAdder();
    private final LongAdder packetsOut = new LongAdder();
    private final LongAdder bytesOut = new LongAdder();
    private final LongAdder retransmissions = new LongAdder();
    private final LongAdder keyframeRequests = new LongAdder();
    private final LongAdder nacksReceived = new LongAdder();
    private final LongAdder plisReceived = new LongAdder();
    private final LongAdder nacksForwarded = new LongAdder();
    private final LongAdder layerSwitches = new LongAdder();
    private final LongAdder transportFeedback = new LongAdder();
    private final LongAdder switchKeyframeRequests = new LongAdder();
    /** Set by the control thread at each choice of layers. */
    private volatile int videosPaused;
    private volatile int layersNotEncoded;

    void received(int bytes) {
        packetsIn.increment();
        bytesIn.add(bytes);
    }

    void sent(int bytes) {
        packetsOut.increment();
        bytesOut.add(bytes);
    }

    void retransmitted() {
        retransmissions.increment();
    }

    void keyframeRequested() {
        keyframeRequests.increment();
    }

    /** A NACK (RTCP transport feedback, RFC 4585 §6.2.1) from a subscriber or a relay link. */
    void nackReceived() {
        nacksReceived.increment();
    }

    /** A PLI or FIR (keyframe request, RFC 4585 §6.3.1, RFC 5104 §4.3.1) from a subscriber or a relay link. */
    void pliReceived() {
        plisReceived.increment();
    }

    /** A NACK sent over a relay link to the publisher's node, for packets this node's cache misses. */
    void nackForwarded() {
        nacksForwarded.increment();
    }

    /** A transport-cc feedback packet from a subscriber, fed to its bandwidth estimate. */
    void transportFeedbackReceived() {
        transportFeedback.increment();
    }

    public long transportFeedback() {
        return transportFeedback.sum();
    }

    /** A subscriber's simulcast stream switched layers (at a key frame). */
    void layerSwitched() {
        layerSwitches.increment();
    }

    /** A key frame asked of a publisher because a subscriber waits to switch to that layer. */
    void switchKeyframeRequested() {
        switchKeyframeRequests.increment();
    }

    void layers(int videosPaused, int layersNotEncoded) {
        this.videosPaused = videosPaused;
        this.layersNotEncoded = layersNotEncoded;
    }

    public long layerSwitches() {
        return layerSwitches.sum();
    }

    public long switchKeyframeRequests() {
        return switchKeyframeRequests.sum();
    }

    /** Simulcast videos a subscriber receives nothing of now (its tile is not shown). */
    public int videosPaused() {
        return videosPaused;
    }

    /** Simulcast layers publishers were told not to encode, as nobody wants them. */
    public int layersNotEncoded() {
        return layersNotEncoded;
    }

    public long packetsIn() {
        return packetsIn.sum();
    }

    public long bytesIn() {
        return bytesIn.sum();
    }

    public long packetsOut() {
        return packetsOut.sum();
    }

    public long bytesOut() {
        return bytesOut.sum();
    }

    public long retransmissions() {
        return retransmissions.sum();
    }

    public long keyframeRequests() {
        return keyframeRequests.sum();
    }

    public long nacksReceived() {
        return nacksReceived.sum();
    }

    public long plisReceived() {
        return plisReceived.sum();
    }

    public long nacksForwarded() {
        return nacksForwarded.sum();
    }
}
