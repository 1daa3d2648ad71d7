package org.huisclos.media.bwe;

/**
 * The delay-based rate (draft-ietf-rmcat-gcc-02 §5.5): a state machine of increase, hold and decrease
 * driven by the {@link BandwidthUsage}. Overuse decreases; normal after hold increases; underuse holds
 * (the queue drains, the rate is about right).
 *
 * <ul>
 *   <li>Increase is multiplicative, {@link #INCREASE_PER_SECOND} (8 %/s, the draft's η = 1.08), while no
 *   capacity is known, and additive near a known capacity: about one packet per response time (RTT +
 *   100 ms), at least 4 kbit/s per second, as libwebrtc does. It never goes beyond 1.5 × the acknowledged
 *   rate + 10 kbit/s, so the rate tracks what is really sent.</li>
 *   <li>Decrease sets the rate to {@link #BETA} (0.85) × the acknowledged rate (the draft's β), at most
 *   once per RTT (10 to 200 ms) unless the rate received has fallen under half the estimate.</li>
 *   <li>The link capacity is an exponential average (α 0.05) of the acknowledged rate at each overuse,
 *   with a variance; a rate above its mean + 3σ means the capacity changed, and multiplicative increase
 *   resumes.</li>
 * </ul>
 */
final class AimdRateControl {
    static final double BETA = 0.85;
    static final double INCREASE_PER_SECOND = 1.08;
    static final long MIN_INCREASE_BPS = 1_000;
    static final double MIN_ADDITIVE_BPS_PER_SECOND = 4_000;
    static final long RESPONSE_EXTRA_MICROS = 100_000;
    static final double ASSUMED_FRAMES_PER_SECOND = 30;
    static final double PACKET_BITS = 1200 * 8;
    static final double CAPACITY_ALPHA = 0.05;

    private enum State { HOLD, INCREASE, DECREASE }

    private State state = State.INCREASE;
    private long rateBps;
    private long minBps;
    private long maxBps;
    private long lastChangeMicros = Long.MIN_VALUE;
    /** Link capacity estimate in kbit/s, -1 when none; deviation normalised by it (kbit/s). */
    private double capacityKbps = -1;
    private double deviationKbps = 0.4;

    AimdRateControl(long initialBps, long minBps, long maxBps) {
        this.minBps = minBps;
        this.maxBps = maxBps;
        this.rateBps = clamp(initialBps);
    }

    long rateBps() {
        return rateBps;
    }

    void setBounds(long min, long max) {
        minBps = min;
        maxBps = max;
        rateBps = clamp(rateBps);
    }

    /**
     * Whether another decrease is due: one RTT (10 to 200 ms) after the last change, or at once if the
     * received rate collapsed.
     */
    boolean timeToReduceFurther(long nowMicros, long rttMicros, long ackedBps) {
        long interval = Math.max(10_000, Math.min(200_000, rttMicros));
        if (lastChangeMicros == Long.MIN_VALUE || nowMicros - lastChangeMicros >= interval) {
            return true;
        }
        return ackedBps >= 0 && ackedBps < rateBps / 2;
    }

    long update(BandwidthUsage usage, long ackedBps, long rttMicros, long nowMicros) {
        switch (usage) {
            case OVERUSING -> state = State.DECREASE;
            case UNDERUSING -> state = State.HOLD;
            case NORMAL -> {
                if (state == State.HOLD) {
                    state = State.INCREASE;
                    lastChangeMicros = nowMicros;
                }
            }
        }
        switch (state) {
            case INCREASE -> increase(ackedBps, rttMicros, nowMicros);
            case DECREASE -> decrease(ackedBps, nowMicros);
            case HOLD -> { }
        }
        rateBps = clamp(rateBps);
        return rateBps;
    }

    private void increase(long ackedBps, long rttMicros, long nowMicros) {
        if (capacityKbps >= 0 && rateBps / 1000.0 > capacityKbps + 3 * Math.sqrt(deviationKbps * capacityKbps)) {
            capacityKbps = -1;
        }
        long limit = ackedBps >= 0 ? (long) (1.5 * ackedBps) + 10_000 : Long.MAX_VALUE;
        if (rateBps < limit) {
            double seconds = secondsSince(lastChangeMicros, nowMicros);
            long increment = capacityKbps >= 0
                    ? (long) (additiveBpsPerSecond(rttMicros) * seconds)
                    : Math.max(MIN_INCREASE_BPS, (long) (rateBps * (Math.pow(INCREASE_PER_SECOND, seconds) - 1)));
            rateBps = Math.min(rateBps + increment, limit);
        }
        lastChangeMicros = nowMicros;
    }

    /** About one packet per response time, from frames of rate/30 split into packets of at most 1200 bytes. */
    private double additiveBpsPerSecond(long rttMicros) {
        double bitsPerFrame = rateBps / ASSUMED_FRAMES_PER_SECOND;
        double packetsPerFrame = Math.ceil(bitsPerFrame / PACKET_BITS);
        double packetBits = bitsPerFrame / packetsPerFrame;
        double responseSeconds = (rttMicros + RESPONSE_EXTRA_MICROS) / 1e6;
        return Math.max(MIN_ADDITIVE_BPS_PER_SECOND, packetBits / responseSeconds);
    }

    private void decrease(long ackedBps, long nowMicros) {
        long decreased = ackedBps >= 0 ? (long) (BETA * ackedBps) : (long) (BETA * rateBps);
        if (decreased > rateBps && capacityKbps >= 0) {
            decreased = (long) (BETA * capacityKbps * 1000);
        }
        if (decreased < rateBps) {
            rateBps = decreased;
        }
        if (ackedBps >= 0) {
            onOveruse(ackedBps / 1000.0);
        }
        state = State.HOLD;
        lastChangeMicros = nowMicros;
    }

    private void onOveruse(double sampleKbps) {
        if (capacityKbps >= 0 && sampleKbps < capacityKbps - 3 * Math.sqrt(deviationKbps * capacityKbps)) {
            capacityKbps = -1;
        }
        capacityKbps = capacityKbps < 0 ? sampleKbps
                : (1 - CAPACITY_ALPHA) * capacityKbps + CAPACITY_ALPHA * sampleKbps;
        double error = capacityKbps - sampleKbps;
        deviationKbps = (1 - CAPACITY_ALPHA) * deviationKbps
                + CAPACITY_ALPHA * error * error / Math.max(capacityKbps, 1);
        deviationKbps = Math.max(0.4, Math.min(2.5, deviationKbps));
    }

    /**
     * Seconds from {@code sinceMicros} to now, at most 1 (a rate grows by at most one second's step per
     * update, however long the feedback took), 0 when there was no {@code since}.
     */
    static double secondsSince(long sinceMicros, long nowMicros) {
        return sinceMicros == Long.MIN_VALUE ? 0 : Math.min(1.0, (nowMicros - sinceMicros) / 1e6);
    }

    private long clamp(long bps) {
        return Math.max(minBps, Math.min(maxBps, bps));
    }
}
