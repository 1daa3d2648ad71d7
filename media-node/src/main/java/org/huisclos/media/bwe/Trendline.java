package org.huisclos.media.bwe;

/**
 * The trend of the one-way delay: each group delta's delay variation ({@code arrival delta - send
 * delta}) is added to an accumulated delay, smoothed exponentially ({@link #SMOOTHING}), and the slope of
 * a least-squares line through the last {@link #WINDOW} smoothed values against arrival time is the
 * trend. A positive slope means the bottleneck queue is growing. This is libwebrtc's trendline filter,
 * which replaced the Kalman filter of draft-ietf-rmcat-gcc-02 §5.3 for the same job: estimating the
 * delay gradient m(i) from noisy inter-group delays. Window 20 and smoothing 0.9 are its defaults.
 */
final class Trendline {
    static final int WINDOW = 20;
    static final double SMOOTHING = 0.9;
    /** The detector scales the slope by the number of deltas seen, up to this many. */
    static final int MAX_DELTAS = 1000;

    private final double[] times = new double[WINDOW];
    private final double[] delays = new double[WINDOW];
    private int filled;
    private int next;
    private boolean started;
    private long firstArrivalMicros;
    private double accumulatedMs;
    private double smoothedMs;
    private double slope;
    private int deltas;

    /** Adds one group delta; returns the current slope (ms of delay per ms), 0 until the window fills. */
    double update(long sendDeltaMicros, long arrivalDeltaMicros, long arrivalMicros) {
        if (!started) {
            started = true;
            firstArrivalMicros = arrivalMicros;
        }
        deltas = Math.min(deltas + 1, MAX_DELTAS);
        accumulatedMs += (arrivalDeltaMicros - sendDeltaMicros) / 1000.0;
        smoothedMs = SMOOTHING * smoothedMs + (1 - SMOOTHING) * accumulatedMs;
        times[next] = (arrivalMicros - firstArrivalMicros) / 1000.0;
        delays[next] = smoothedMs;
        next = (next + 1) % WINDOW;
        filled = Math.min(filled + 1, WINDOW);
        if (filled == WINDOW) {
            fit();
        }
        return slope;
    }

    /** How many deltas went in, at most {@link #MAX_DELTAS}. */
    int deltas() {
        return deltas;
    }

    private void fit() {
        double meanTime = 0;
        double meanDelay = 0;
        for (int i = 0; i < WINDOW; i++) {
            meanTime += times[i];
            meanDelay += delays[i];
        }
        meanTime /= WINDOW;
        meanDelay /= WINDOW;
        double covariance = 0;
        double variance = 0;
        for (int i = 0; i < WINDOW; i++) {
            double dt = times[i] - meanTime;
            covariance += dt * (delays[i] - meanDelay);
            variance += dt * dt;
        }
        if (variance != 0) {
            slope = covariance / variance;
        }
    }
}
