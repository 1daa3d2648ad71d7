package org.huisclos.media.bwe;

/**
 * The loss-based rate (draft-ietf-rmcat-gcc-02 §6). Losses are counted from the feedback; once a
 * second has passed since the last update ({@link #UPDATE_INTERVAL_MICROS}, as often as the receiver
 * reports the draft has in mind come, and libwebrtc's interval for transport feedback) and at least
 * {@link #MIN_PACKETS} packets were reported, their lost fraction p updates the rate:
 * p < 2 % lets it grow (8 % per second, +1 kbit/s, as libwebrtc does; the draft says 5 %),
 * 2–10 % holds it, p > 10 % cuts it to rate · (1 − 0.5 p), at most once per 300 ms + RTT so one loss
 * episode, reported by several feedback packets, is not punished twice. Random loss under 10 % is
 * thus not taken for congestion; that is the delay-based part's job.
 *
 * <p>The rate never stays above the delay-based one ({@link #update}'s cap, as in libwebrtc), so a
 * decrease starts from what is actually used, not from a value that grew unchecked while loss was low.
 */
final class LossBasedControl {
    static final double LOW_LOSS = 0.02;
    static final double HIGH_LOSS = 0.10;
    static final int MIN_PACKETS = 20;
    static final long UPDATE_INTERVAL_MICROS = 1_000_000;
    static final double INCREASE_PER_SECOND = 1.08;
    static final long INCREASE_EXTRA_BPS = 1_000;
    static final long DECREASE_INTERVAL_MICROS = 300_000;

    private long rateBps;
    private int expected;
    private int lost;
    private double lastLossFraction;
    private long lastUpdateMicros = Long.MIN_VALUE;
    private long lastDecreaseMicros = Long.MIN_VALUE;

    LossBasedControl(long initialBps) {
        rateBps = initialBps;
    }

    void onReported(int expectedPackets, int lostPackets) {
        expected += expectedPackets;
        lost += lostPackets;
    }

    /** Applies the loss seen since the last update if enough packets were reported; returns the rate. */
    long update(long delayBasedBps, long rttMicros, long nowMicros) {
        if (expected >= MIN_PACKETS
                && (lastUpdateMicros == Long.MIN_VALUE || nowMicros - lastUpdateMicros >= UPDATE_INTERVAL_MICROS)) {
            double loss = (double) lost / expected;
            lastLossFraction = loss;
            expected = 0;
            lost = 0;
            if (loss < LOW_LOSS) {
                double seconds = AimdRateControl.secondsSince(lastUpdateMicros, nowMicros);
                rateBps = (long) (rateBps * Math.pow(INCREASE_PER_SECOND, seconds)) + INCREASE_EXTRA_BPS;
            } else if (loss > HIGH_LOSS && (lastDecreaseMicros == Long.MIN_VALUE
                    || nowMicros - lastDecreaseMicros >= DECREASE_INTERVAL_MICROS + rttMicros)) {
                rateBps = (long) (rateBps * (1 - 0.5 * loss));
                lastDecreaseMicros = nowMicros;
            }
            lastUpdateMicros = nowMicros;
        }
        rateBps = Math.min(rateBps, delayBasedBps);
        return rateBps;
    }

    long rateBps() {
        return rateBps;
    }

    /** The lost fraction of the last update, 0 to 1. */
    double lossFraction() {
        return lastLossFraction;
    }

    void clamp(long minBps, long maxBps) {
        rateBps = Math.max(minBps, Math.min(maxBps, rateBps));
    }
}
