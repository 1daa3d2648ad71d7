package org.huisclos.media.bwe;

/**
 * Compares the delay trend with an adaptive threshold (draft-ietf-rmcat-gcc-02 §5.4, §5.5).
 *
 * <p>The trend is scaled by the number of deltas seen (up to {@link #MIN_DELTAS}, so a young estimate
 * counts for less) and by {@link #THRESHOLD_GAIN}. Above the threshold γ for longer than
 * {@link #OVERUSE_MICROS} and at least two deltas, with the trend not falling, is overuse; below −γ
 * is underuse; in between normal. γ follows |trend| — γ += Δt · k · (|m| − γ), Δt at most 100 ms, k =
 * {@link #K_UP} when |m| > γ and {@link #K_DOWN} otherwise, clamped to [6, 600]. γ rising with |m|
 * is what keeps a competing loss-based flow (TCP), whose sawtooth keeps filling the queue, from
 * holding us in overuse and starving us; γ falling back restores the sensitivity once it is gone.
 * Values far above γ (by {@link #MAX_ADAPT_OFFSET_MS}) are spikes and do not move it. The structure and
 * initial γ of 12.5 ms, the 10 ms of sustained overuse and the clamp are the draft's; the gain 4 and
 * k_u = 0.0087, k_d = 0.039 are libwebrtc's for the trendline's scale (the draft's k_u = 0.01,
 * k_d = 0.00018 are for its Kalman filter's).
 */
final class OveruseDetector {
    static final double THRESHOLD_GAIN = 4.0;
    static final int MIN_DELTAS = 60;
    static final double OVERUSE_MICROS = 10_000;
    static final double K_UP = 0.0087;
    static final double K_DOWN = 0.039;
    static final double INITIAL_THRESHOLD = 12.5;
    static final double MIN_THRESHOLD = 6;
    static final double MAX_THRESHOLD = 600;
    static final double MAX_ADAPT_OFFSET_MS = 15;
    static final double MAX_ADAPT_STEP_MS = 100;

    private double threshold = INITIAL_THRESHOLD;
    /** How long the trend has been above the threshold, -1 when it is not. */
    private double overuseMicros = -1;
    private int overuseCount;
    private double previousTrend;
    private long lastThresholdUpdateMicros = Long.MIN_VALUE;
    private BandwidthUsage usage = BandwidthUsage.NORMAL;

    BandwidthUsage detect(double trend, int deltas, long sendDeltaMicros, long arrivalMicros) {
        if (deltas < 2) {
            usage = BandwidthUsage.NORMAL;
            return usage;
        }
        double modified = Math.min(deltas, MIN_DELTAS) * trend * THRESHOLD_GAIN;
        if (modified > threshold) {
            overuseMicros = overuseMicros < 0 ? sendDeltaMicros / 2.0 : overuseMicros + sendDeltaMicros;
            overuseCount++;
            if (overuseMicros > OVERUSE_MICROS && overuseCount > 1 && trend >= previousTrend) {
                overuseMicros = 0;
                overuseCount = 0;
                usage = BandwidthUsage.OVERUSING;
            }
        } else if (modified < -threshold) {
            overuseMicros = -1;
            overuseCount = 0;
            usage = BandwidthUsage.UNDERUSING;
        } else {
            overuseMicros = -1;
            overuseCount = 0;
            usage = BandwidthUsage.NORMAL;
        }
        previousTrend = trend;
        adaptThreshold(modified, arrivalMicros);
        return usage;
    }

    BandwidthUsage usage() {
        return usage;
    }

    double threshold() {
        return threshold;
    }

    private void adaptThreshold(double modified, long nowMicros) {
        if (lastThresholdUpdateMicros == Long.MIN_VALUE) {
            lastThresholdUpdateMicros = nowMicros;
        }
        double magnitude = Math.abs(modified);
        if (magnitude > threshold + MAX_ADAPT_OFFSET_MS) {
            lastThresholdUpdateMicros = nowMicros;
            return;
        }
        double k = magnitude < threshold ? K_DOWN : K_UP;
        double stepMs = Math.min((nowMicros - lastThresholdUpdateMicros) / 1000.0, MAX_ADAPT_STEP_MS);
        stepMs = Math.max(0, stepMs);
        threshold += k * (magnitude - threshold) * stepMs;
        threshold = Math.max(MIN_THRESHOLD, Math.min(MAX_THRESHOLD, threshold));
        lastThresholdUpdateMicros = nowMicros;
    }
}
