package org.huisclos.media;

import org.huisclos.media.rtcp.ReportBlock;

/**
 * The worst reception quality over the publishers' streams in one RTCP report pass: the largest
 * interarrival jitter in seconds (from RTP clock units with each stream's clock rate) and the
 * largest fraction lost since the previous report (RFC 3550 §6.4.1). Used on the node's context
 * once a second, never per packet; nothing is allocated.
 */
final class StreamQuality {
    private double jitterSeconds;
    private double lossRatio;

    /** Starts a pass. */
    void reset() {
        jitterSeconds = 0;
        lossRatio = 0;
    }

    /**
     * One stream's report block, just written at {@code blockOff} of {@code block}; {@code clockRate}
     * is the stream's RTP clock rate in Hz.
     */
    void add(byte[] block, int blockOff, int clockRate) {
        if (clockRate > 0) {
            jitterSeconds = Math.max(jitterSeconds, ReportBlock.jitter(block, blockOff) / (double) clockRate);
        }
        lossRatio = Math.max(lossRatio, ReportBlock.fractionLost(block, blockOff) / 256.0);
    }

    /** The largest jitter of the pass, in seconds. */
    double jitterSeconds() {
        return jitterSeconds;
    }

    /** The largest fraction lost of the pass, 0 to 1. */
    double lossRatio() {
        return lossRatio;
    }
}
