package org.huisclos.media.forward;

import org.huisclos.media.rtp.RtpPacket;

/**
 * What one subscriber receives of a simulcast video: one continuous RTP stream, whichever layer it
 * comes from. The node forwards one layer at a time and switches only at a key frame of the layer
 * it wants (the first packet of that frame), and rewrites every packet into the stream the
 * subscriber's offer announced: the stream's SSRC, sequence numbers that continue across switches,
 * timestamps that advance by the time that passed, and (VP8) picture ids and TL0PICIDX that
 * continue, so that the browser's decoder sees one stream. Packets of the new layer that precede
 * the switching key frame are not forwarded (their sequence numbers would fall among the old
 * layer's).
 *
 * <p>A retransmission asked by the subscriber names a rewritten sequence number: {@link #original}
 * maps the last {@value #HISTORY} of them back to the layer and the packet they came from, with the
 * offsets that applied then.
 *
 * <p>Threads: the I/O thread alone uses everything here except {@link #target}, which the control
 * thread sets (the layer the allocation chose, or {@link #PAUSED}).
 */
public final class RewrittenStream {
    /** No layer: the subscriber receives nothing of this video (not shown, or no room for it). */
    public static final int PAUSED = -1;
    static final int HISTORY = 512;
    private static final long SEQ_MASK = 0xffff;
    private static final long TS_MASK = 0xffff_ffffL;
    private static final int PICTURE_ID_MOD = 1 << 15;

    private final int clockRate;
    /** The layer the allocation wants forwarded; switched to at its next key frame. */
    volatile int target;
    private int current = PAUSED;
    private boolean started;
    private int switchSeq;
    private int seqDelta;
    private long tsDelta;
    private int pictureIdDelta;
    private int tl0Delta;
    private int lastSeq;
    private long lastTs;
    private int lastPictureId = -1;
    private int lastTl0 = -1;
    private long lastSentNanos;
    private int switches;
    private final int[] historyOut = new int[HISTORY];
    private final int[] historyOriginal = new int[HISTORY];
    private final long[] historyDeltas = new long[HISTORY];

    RewrittenStream(int clockRate, int target) {
        this.clockRate = clockRate;
        this.target = target;
        java.util.Arrays.fill(historyOut, -1);
    }

    /** The layer being forwarded now, or {@link #PAUSED}. */
    public int current() {
        return current;
    }

    public int target() {
        return target;
    }

    /** Layer switches made so far. */
    public int switches() {
        return switches;
    }

    /** Whether the subscriber waits for a key frame of the layer it wants (a keyframe request is due). */
    boolean awaitsKeyframe() {
        return awaitedLayer() != PAUSED;
    }

    /** The layer whose key frame the subscriber waits for, or {@link #PAUSED} for none; reads {@link #target} once. */
    int awaitedLayer() {
        int t = target;
        return t != current ? t : PAUSED;
    }

    /**
     * Whether a packet of layer {@code layer} goes to this subscriber; switches to the target layer at
     * its key frame ({@code keyframeStart}: the packet starts one). {@code buf} holds the packet as
     * received: nothing is written here.
     */
    boolean admit(int layer, byte[] buf, int off, boolean keyframeStart, long nowNanos,
                  int pictureId, int tl0PicIdx) {
        int want = target;
        if (layer == current) {
            if (want == PAUSED) {
                current = PAUSED;
                return false;
            }
            // a late packet of this layer from before the switch would reuse the old layer's numbers
            return ((RtpPacket.sequenceNumber(buf, off) - switchSeq) & 0x8000) == 0;
        }
        if (layer != want || !keyframeStart) {
            return false;
        }
        switchTo(layer, buf, off, nowNanos, pictureId, tl0PicIdx);
        return true;
    }

    private void switchTo(int layer, byte[] buf, int off, long nowNanos, int pictureId, int tl0PicIdx) {
        int seq = RtpPacket.sequenceNumber(buf, off);
        long ts = RtpPacket.timestamp(buf, off);
        if (!started) {
            started = true; // the first layer keeps the publisher's numbering
            seqDelta = 0;
            tsDelta = 0;
            pictureIdDelta = 0;
            tl0Delta = 0;
        } else {
            seqDelta = (int) ((lastSeq + 1 - seq) & SEQ_MASK);
            long elapsed = Math.max(1, (nowNanos - lastSentNanos) * clockRate / 1_000_000_000L);
            tsDelta = (lastTs + elapsed - ts) & TS_MASK;
            pictureIdDelta = pictureId < 0 || lastPictureId < 0 ? 0
                    : Math.floorMod(lastPictureId + 1 - pictureId, PICTURE_ID_MOD);
            tl0Delta = tl0PicIdx < 0 || lastTl0 < 0 ? 0 : (lastTl0 + 1 - tl0PicIdx) & 0xff;
            switches++;
        }
        current = layer;
        switchSeq = seq;
    }

    /** Rewritten sequence number of an admitted packet with original number {@code seq}. */
    int sequence(int seq) {
        return (int) ((seq + seqDelta) & SEQ_MASK);
    }

    long timestamp(long ts) {
        return (ts + tsDelta) & TS_MASK;
    }

    int pictureId(int pictureId) {
        return pictureId < 0 ? -1 : (pictureId + pictureIdDelta) % PICTURE_ID_MOD;
    }

    int tl0PicIdx(int tl0) {
        return tl0 < 0 ? -1 : (tl0 + tl0Delta) & 0xff;
    }

    /**
     * Records what was sent: the rewritten numbers (for the next switch to continue from) and the way
     * back to the original packet (for retransmissions).
     */
    void sent(int layer, int originalSeq, int outSeq, long outTs, int outPictureId, int outTl0, long nowNanos) {
        if (((outSeq - lastSeq) & 0x8000) == 0 || lastSentNanos == 0) {
            lastSeq = outSeq;
            lastTs = outTs;
            if (outPictureId >= 0) {
                lastPictureId = outPictureId;
            }
            if (outTl0 >= 0) {
                lastTl0 = outTl0;
            }
            lastSentNanos = nowNanos;
        }
        int slot = outSeq & (HISTORY - 1);
        historyOut[slot] = outSeq;
        historyOriginal[slot] = layer << 16 | originalSeq;
        historyDeltas[slot] = tsDelta << 32 | (long) pictureIdDelta << 8 | tl0Delta;
    }

    /**
     * The layer and original sequence number ({@code layer << 16 | seq}) of the packet sent as
     * {@code outSeq}, or -1 when it is too old to be known.
     */
    int original(int outSeq) {
        int slot = outSeq & (HISTORY - 1);
        return historyOut[slot] == outSeq ? historyOriginal[slot] : -1;
    }

    /** The offsets that applied to the packet sent as {@code outSeq} (valid when {@link #original} is not -1). */
    long timestampFor(int outSeq, long originalTs) {
        return (originalTs + (historyDeltas[outSeq & (HISTORY - 1)] >>> 32)) & TS_MASK;
    }

    int pictureIdFor(int outSeq, int originalPictureId) {
        int delta = (int) (historyDeltas[outSeq & (HISTORY - 1)] >>> 8) & 0xffffff;
        return originalPictureId < 0 ? -1 : (originalPictureId + delta) % PICTURE_ID_MOD;
    }

    int tl0For(int outSeq, int originalTl0) {
        int delta = (int) historyDeltas[outSeq & (HISTORY - 1)] & 0xff;
        return originalTl0 < 0 ? -1 : (originalTl0 + delta) & 0xff;
    }

    /** The RTP timestamp of a sender report of the layer being forwarded, in the subscriber's stream. */
    long senderReportTimestamp(long ts) {
        return timestamp(ts);
    }
}
