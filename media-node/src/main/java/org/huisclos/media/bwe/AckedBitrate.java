package org.huisclos.media.bwe;

/**
 * The rate the subscriber actually received, from the sizes and arrival times of acknowledged packets:
 * bytes per {@link #BUCKET_MICROS} bucket of receiver time over the last {@link #BUCKETS} buckets
 * (500 ms). The rate controller decreases to a fraction of this on overuse (draft-ietf-rmcat-gcc-02
 * §5.5: 0.85 · R_hat, where R_hat is measured over the last 500 ms) and lets the estimate grow only up
 * to 1.5 times it, so an estimate never runs far ahead of what the path has shown it carries.
 */
final class AckedBitrate {
    static final long BUCKET_MICROS = 10_000;
    static final int BUCKETS = 50;
    /** Less history than this gives no rate yet. */
    static final long MIN_SPAN_MICROS = 150_000;

    private final long[] bytes = new long[BUCKETS];
    private long latestBucket = Long.MIN_VALUE;
    private long latestArrival;
    private long firstArrival;
    private long sum;

    void onAcknowledged(long arrivalMicros, int sizeBytes) {
        long bucket = Math.floorDiv(arrivalMicros, BUCKET_MICROS);
        if (latestBucket == Long.MIN_VALUE) {
            latestBucket = bucket;
            firstArrival = arrivalMicros;
            latestArrival = arrivalMicros;
        }
        if (bucket > latestBucket) {
            long clear = Math.min(bucket - latestBucket, BUCKETS);
            for (long b = bucket - clear + 1; b <= bucket; b++) {
                int slot = (int) Math.floorMod(b, (long) BUCKETS);
                sum -= bytes[slot];
                bytes[slot] = 0;
            }
            latestBucket = bucket;
        } else if (bucket <= latestBucket - BUCKETS) {
            return;
        }
        int slot = (int) Math.floorMod(bucket, (long) BUCKETS);
        bytes[slot] += sizeBytes;
        sum += sizeBytes;
        latestArrival = Math.max(latestArrival, arrivalMicros);
    }

    /** Bits per second over the window, or -1 until {@link #MIN_SPAN_MICROS} of arrivals were seen. */
    long bps() {
        if (latestBucket == Long.MIN_VALUE) {
            return -1;
        }
        long windowStart = Math.max(firstArrival, (latestBucket - BUCKETS + 1) * BUCKET_MICROS);
        long span = latestArrival - windowStart;
        if (span < MIN_SPAN_MICROS) {
            return -1;
        }
        return sum * 8 * 1_000_000 / span;
    }

    /** Forgets everything, as after a jump of the receiver's clock. */
    void reset() {
        java.util.Arrays.fill(bytes, 0);
        sum = 0;
        latestBucket = Long.MIN_VALUE;
    }
}
