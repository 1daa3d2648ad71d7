package org.huisclos.media.bwe;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import org.huisclos.media.rtcp.TransportFeedback;
import org.junit.jupiter.api.Test;

/**
 * The estimator allocates nothing per packet or per feedback: 100,000 packets sent at 1 ms intervals
 * with a feedback packet every 50 (written, parsed and taken by the estimator), after a warm-up of
 * 20,000, and the thread's allocation counter barely moves. The queueing delay rises and falls every
 * 2 s, so increase, overuse and decrease all run.
 */
class SendSideEstimatorAllocationTest {
    private static final int PER_FEEDBACK = 50;

    private final SendSideEstimator estimator = new SendSideEstimator(20_000_000);
    private final TransportFeedback.Writer writer = new TransportFeedback.Writer();
    private final TransportFeedback.Result result = new TransportFeedback.Result();
    private final byte[] packet = new byte[TransportFeedback.maxLength(PER_FEEDBACK)];
    private final long[] arrivals = new long[PER_FEEDBACK];
    private long queueMicros;
    private long lowest = Long.MAX_VALUE;
    private long highest;
    private long previous;
    private int decreases;
    private int increases;

    @Test
    void sendingAndTakingFeedbackAllocatesNothing() {
        run(0, 20_000);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        run(20_000, 120_000);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        String figures = "100,000 packets and 2,000 feedback packets allocated " + allocated
                + " bytes; the estimate between " + lowest / 1000 + " and " + highest / 1000 + " kbit/s, "
                + increases + " increases, " + decreases + " decreases";
        System.out.println(figures);
        assertTrue(allocated < 512, figures);
        assertTrue(increases > 0 && decreases > 0, "the estimate moved both ways: " + figures);
    }

    /** Packets {@code from..to} at 1 ms, 1 in 100 lost, with a queue growing and draining in turn. */
    private void run(int from, int to) {
        for (int n = from; n < to; n++) {
            long sendMicros = 1000L * n;
            estimator.onPacketSent(n & 0xFFFF, 1200, sendMicros);
            int i = n % PER_FEEDBACK;
            queueMicros = (n / 2000) % 2 == 0 ? Math.min(queueMicros + 100, 300_000) : Math.max(queueMicros - 100, 0);
            boolean lost = n % 100 == 17;
            arrivals[i] = lost ? TransportFeedback.NOT_RECEIVED : sendMicros + 30_000 + queueMicros + (n * 37 % 7) * 100;
            if (i == PER_FEEDBACK - 1) {
                int len = writer.write(packet, 0, 1, 2, (n - i) & 0xFFFF, arrivals, PER_FEEDBACK, n / PER_FEEDBACK);
                if (TransportFeedback.parse(packet, 0, len, result)) {
                    estimator.onFeedback(result, sendMicros + 60_000);
                }
                long estimate = estimator.estimateBps();
                if (from > 0) {
                    decreases += estimate < previous ? 1 : 0;
                    increases += estimate > previous ? 1 : 0;
                    lowest = Math.min(lowest, estimate);
                    highest = Math.max(highest, estimate);
                }
                previous = estimate;
            }
        }
    }
}
