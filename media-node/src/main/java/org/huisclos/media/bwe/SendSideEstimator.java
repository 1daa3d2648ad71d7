package org.huisclos.media.bwe;

import org.huisclos.media.rtcp.TransportFeedback;

/**
 * The bandwidth toward one subscriber, estimated at the sender from transport-wide feedback, Google
 * Congestion Control style (draft-ietf-rmcat-gcc-02; feedback format
 * draft-holmer-rmcat-transport-wide-cc-extensions-01). The forwarder is to call {@link #onPacketSent}
 * for every packet it sends the subscriber with a transport-wide sequence number (its size as sent, after
 * SRTP), and {@link #onFeedback} for each feedback packet the subscriber returns; {@link #estimateBps}
 * is the rate it may send at. One thread at a time, like the rest of the per-packet path; nothing here
 * allocates or logs.
 *
 * <p>How a feedback packet is used, in order:
 * <ol>
 *   <li>Each reported packet is found in {@link SentPackets}, a ring of 8192 send times and sizes by
 *   unwrapped sequence number. Unknown, too old or already acknowledged packets are skipped; the others
 *   count as expected, and lost if not received (for the loss-based part).</li>
 *   <li>Each received packet's size goes into {@link AckedBitrate}, the rate the subscriber received
 *   over the last 500 ms, and its send and arrival times into {@link InterArrival}, which groups packets
 *   sent within 5 ms and yields, per pair of groups, the send delta and arrival delta.</li>
 *   <li>Their difference, the one-way delay variation, feeds the {@link Trendline} (slope over 20 groups
 *   of the smoothed accumulated delay) and the {@link OveruseDetector} (slope × gain against an adaptive
 *   threshold, with 10 ms of sustained overuse) which says normal, underusing or overusing.</li>
 *   <li>{@link AimdRateControl} turns that into the delay-based rate: multiplicative increase of
 *   8 %/s far from a known capacity, additive near it, decrease to 0.85 × the acknowledged rate on
 *   overuse (at most once per RTT while it lasts).</li>
 *   <li>{@link LossBasedControl} keeps the loss-based rate: grow under 2 % loss, hold to 10 %, beyond
 *   that × (1 − 0.5 loss); never above the delay-based rate.</li>
 * </ol>
 * The estimate is the smaller of the two, within {@link #setBounds}. The RTT (for the additive increase
 * and the decrease intervals) is the shortest time from sending a packet to receiving its feedback, in
 * the last feedback packet; it includes up to one feedback interval of waiting at the subscriber.
 * Arrival times are on the subscriber's clock; only their differences matter, and the 24-bit reference
 * time of the feedback is unwrapped here so a subscriber's clock passing 2^23 · 64 ms changes nothing.
 *
 * <p>Probing (sending padding above the estimate to find out faster that more is available, GCC's
 * ramp-up aid) is not done: the estimate grows by the rate control alone, 8 %/s. A prober would send its
 * bursts through {@link #onPacketSent} like any packet and, having measured a receive rate above the
 * delay-based rate, raise it; that entry point belongs in {@link AimdRateControl}, next to its rate.
 */
public final class SendSideEstimator {
    public static final long DEFAULT_INITIAL_BPS = 300_000;
    public static final long DEFAULT_MIN_BPS = 50_000;
    public static final long DEFAULT_MAX_BPS = 50_000_000;
    private static final long REFERENCE_WRAP = 1L << 24;

    private final SentPackets sent = new SentPackets();
    private final InterArrival interArrival = new InterArrival();
    private final Trendline trendline = new Trendline();
    private final OveruseDetector detector = new OveruseDetector();
    private final AckedBitrate acked = new AckedBitrate();
    private final AimdRateControl delayBased;
    private final LossBasedControl lossBased;
    private long minBps = DEFAULT_MIN_BPS;
    private long maxBps = DEFAULT_MAX_BPS;
    private long estimateBps;
    private long rttMicros = 100_000;
    private boolean hasReferenceTime;
    private long lastReferenceTime;
    private long referenceOffset;

    public SendSideEstimator() {
        this(DEFAULT_INITIAL_BPS);
    }

    public SendSideEstimator(long initialBps) {
        delayBased = new AimdRateControl(initialBps, minBps, maxBps);
        lossBased = new LossBasedControl(delayBased.rateBps());
        estimateBps = delayBased.rateBps();
    }

    /** Records a packet sent with transport-wide sequence number {@code transportSeq} (16 bits). */
    public void onPacketSent(int transportSeq, int sizeBytes, long sendTimeMicros) {
        sent.onSent(transportSeq, sizeBytes, sendTimeMicros);
    }

    /** Takes one parsed feedback packet, received at {@code nowMicros} (the sender's clock). */
    public void onFeedback(TransportFeedback.Result fb, long nowMicros) {
        long arrivalOffset = (unwrapReferenceTime(fb.referenceTime()) - fb.referenceTime())
                * TransportFeedback.REFERENCE_TIME_MICROS;
        int expected = 0;
        int lost = 0;
        long shortestRtt = Long.MAX_VALUE;
        for (int i = 0; i < fb.statusCount(); i++) {
            int slot = sent.find(fb.sequenceNumber(i));
            if (slot < 0 || sent.state(slot) == SentPackets.ACKNOWLEDGED) {
                continue;
            }
            boolean firstReport = sent.state(slot) == SentPackets.SENT;
            if (!fb.received(i)) {
                if (firstReport) {
                    expected++;
                    lost++;
                    sent.setState(slot, SentPackets.REPORTED_LOST);
                }
                continue;
            }
            if (firstReport) {
                expected++;
            } else {
                lost--;
            }
            sent.setState(slot, SentPackets.ACKNOWLEDGED);
            long sendMicros = sent.sendMicros(slot);
            long arrival = fb.arrivalMicros(i) + arrivalOffset;
            shortestRtt = Math.min(shortestRtt, nowMicros - sendMicros);
            acked.onAcknowledged(arrival, sent.size(slot));
            if (interArrival.add(sendMicros, arrival)) {
                double slope = trendline.update(interArrival.sendDeltaMicros, interArrival.arrivalDeltaMicros,
                        interArrival.arrivalMicros);
                detector.detect(slope, trendline.deltas(), interArrival.sendDeltaMicros, interArrival.arrivalMicros);
            }
        }
        if (shortestRtt != Long.MAX_VALUE && shortestRtt >= 0) {
            rttMicros = shortestRtt;
        }
        lossBased.onReported(expected, Math.max(lost, 0));
        long ackedBps = acked.bps();
        BandwidthUsage usage = detector.usage();
        if (usage != BandwidthUsage.OVERUSING || delayBased.timeToReduceFurther(nowMicros, rttMicros, ackedBps)) {
            delayBased.update(usage, ackedBps, rttMicros, nowMicros);
        }
        long delay = delayBased.rateBps();
        lossBased.update(delay, rttMicros, nowMicros);
        lossBased.clamp(minBps, maxBps);
        estimateBps = Math.max(minBps, Math.min(maxBps, Math.min(delay, lossBased.rateBps())));
    }

    /**
     * The reference time (24 bits, signed as parsed) continued past its wraps, taking each feedback's
     * as the one nearest to the last.
     */
    private long unwrapReferenceTime(int referenceTime) {
        long time = referenceTime + referenceOffset;
        if (hasReferenceTime) {
            long step = time - lastReferenceTime;
            if (step > REFERENCE_WRAP / 2) {
                referenceOffset -= REFERENCE_WRAP;
            } else if (step < -REFERENCE_WRAP / 2) {
                referenceOffset += REFERENCE_WRAP;
            }
            time = referenceTime + referenceOffset;
        }
        hasReferenceTime = true;
        lastReferenceTime = time;
        return time;
    }

    /** The rate the subscriber's path is estimated to carry, bits per second. */
    public long estimateBps() {
        return estimateBps;
    }

    /** Keeps the estimate within {@code [minBps, maxBps]} from now on. */
    public void setBounds(long minBps, long maxBps) {
        if (minBps <= 0 || maxBps < minBps) {
            throw new IllegalArgumentException("bandwidth bounds " + minBps + " to " + maxBps + " bps");
        }
        this.minBps = minBps;
        this.maxBps = maxBps;
        delayBased.setBounds(minBps, maxBps);
        lossBased.clamp(minBps, maxBps);
        estimateBps = Math.max(minBps, Math.min(maxBps, Math.min(delayBased.rateBps(), lossBased.rateBps())));
    }

    /** The delay-based part of the estimate. */
    public long delayBasedBps() {
        return delayBased.rateBps();
    }

    /** The loss-based part of the estimate. */
    public long lossBasedBps() {
        return lossBased.rateBps();
    }

    /** The rate the subscriber received over the last 500 ms of acknowledged packets, -1 before there is one. */
    public long acknowledgedBps() {
        return acked.bps();
    }

    /** The fraction of packets lost in the last loss update, 0 to 1. */
    public double lossFraction() {
        return lossBased.lossFraction();
    }

    public long rttMicros() {
        return rttMicros;
    }
}
