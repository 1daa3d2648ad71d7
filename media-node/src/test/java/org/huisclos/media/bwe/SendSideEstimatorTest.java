package org.huisclos.media.bwe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.huisclos.media.rtcp.TransportFeedback;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The estimator against a simulated downlink ({@link LinkSimulation}): feedback goes through the
 * transport feedback writer and parser, time is simulated, runs are seeded. Each assertion message
 * carries the estimate once a second.
 */
class SendSideEstimatorTest {
    private static final long SECOND = 1_000_000;

    @ParameterizedTest(name = "feedback every {0} ms, one-way delay {1} ms")
    @CsvSource({"50, 30", "100, 40", "50, 20"})
    void from300kbpsItSettlesOnA600kbpsLinkWithABoundedQueue(long feedbackMs, long delayMs) {
        LinkSimulation sim = link(600_000, feedbackMs, delayMs, 1);
        sim.runUntil(10 * SECOND);
        sim.takeMaxQueueDelayMicros();
        sim.runUntil(15 * SECOND);
        long estimate = sim.estimator.estimateBps();
        long maxQueue = sim.takeMaxQueueDelayMicros();
        String figures = sim.trace() + ", longest queue delay from 10 to 15 s " + maxQueue / 1000 + " ms";
        System.out.println("600 kbit/s link, feedback " + feedbackMs + " ms, delay " + delayMs + " ms:" + figures);
        assertTrue(estimate >= 400_000 && estimate <= 700_000, "estimate after 15 s in [400, 700] kbit/s:" + figures);
        assertTrue(sim.queueDelayMicros() < 500_000, "queue delay at 15 s under 500 ms:" + figures);
        assertTrue(maxQueue < 500_000, "queue delay from 10 to 15 s under 500 ms:" + figures);
    }

    @ParameterizedTest(name = "feedback every {0} ms, one-way delay {1} ms")
    @CsvSource({"50, 30", "100, 40", "50, 20"})
    void whenTheLinkGrowsTo3MbpsTheEstimatePasses1500kbpsWithin15s(long feedbackMs, long delayMs) {
        LinkSimulation sim = link(600_000, feedbackMs, delayMs, 2);
        sim.runUntil(15 * SECOND);
        long before = sim.estimator.estimateBps();
        sim.capacityBps = 3_000_000;
        sim.runUntil(30 * SECOND);
        System.out.println("600 kbit/s then 3 Mbit/s, feedback " + feedbackMs + " ms, delay " + delayMs + " ms:"
                + sim.trace());
        assertTrue(before <= 700_000, "still near 600 kbit/s before the change:" + sim.trace());
        assertTrue(sim.estimator.estimateBps() > 1_500_000, "over 1.5 Mbit/s 15 s after the link grew:" + sim.trace());
    }

    private static LinkSimulation link(long capacityBps, long feedbackMs, long delayMs, long seed) {
        LinkSimulation sim = new LinkSimulation(new SendSideEstimator(), capacityBps, seed);
        sim.feedbackIntervalMicros = feedbackMs * 1000;
        sim.oneWayDelayMicros = delayMs * 1000;
        return sim;
    }

    /**
     * Random loss between 2 and 10 % holds the loss-based rate (GCC §6), so it must not pull a ramped-up
     * estimate down: 20 s at 3 % after 20 s without loss. (From the very start, 3 % would hold the
     * estimate at its initial 300 kbit/s, as the draft specifies.)
     */
    @Test
    void threePercentRandomLossDoesNotCollapseTheEstimate() {
        LinkSimulation sim = rampedUpTo2500kbps(3);
        sim.lossRate = 0.03;
        long lowest = Arrays.stream(estimatesEverySecond(sim, 21, 40)).min().getAsLong();
        System.out.println("2.5 Mbit/s, 3 % loss from 20 s:" + sim.trace() + ", lowest with loss " + lowest / 1000 + "k");
        assertTrue(lowest > 1_000_000, "lowest estimate during 20 s of 3 % loss " + lowest / 1000 + "k:" + sim.trace());
        assertTrue(sim.estimator.lossFraction() > 0.005, "the loss was seen:" + sim.trace());
    }

    @Test
    void twentyPercentLossHalvesTheEstimate() {
        LinkSimulation sim = rampedUpTo2500kbps(4);
        long before = sim.estimator.estimateBps();
        sim.lossRate = 0.20;
        long[] after = estimatesEverySecond(sim, 21, 30);
        long last = after[after.length - 1];
        System.out.println("2.5 Mbit/s, 20 % loss from 20 s:" + sim.trace());
        assertTrue(last < before / 2, "from " + before / 1000 + "k to " + last / 1000 + "k in 10 s of 20 % loss:"
                + sim.trace());
    }

    /** 20 s on a 2.5 Mbit/s link without loss, by when the estimate passed 1 Mbit/s. */
    private static LinkSimulation rampedUpTo2500kbps(long seed) {
        LinkSimulation sim = new LinkSimulation(new SendSideEstimator(), 2_500_000, seed);
        sim.runUntil(20 * SECOND);
        assertTrue(sim.estimator.estimateBps() > 1_000_000, "over 1 Mbit/s after 20 s:" + sim.trace());
        return sim;
    }

    /** Runs on to each second from {@code from} to {@code to}, taking the estimate at each. */
    private static long[] estimatesEverySecond(LinkSimulation sim, int from, int to) {
        long[] estimates = new long[to - from + 1];
        for (int t = from; t <= to; t++) {
            sim.runUntil(t * SECOND);
            estimates[t - from] = sim.estimator.estimateBps();
        }
        return estimates;
    }

    /** A subscriber whose clock passes 2^23 · 64 ms, where the reference time wraps, is estimated the same. */
    @Test
    void referenceTimeWrapChangesNothing() {
        LinkSimulation plain = new LinkSimulation(new SendSideEstimator(), 1_000_000, 5);
        LinkSimulation wrapping = new LinkSimulation(new SendSideEstimator(), 1_000_000, 5);
        plain.receiverClockOffsetMicros = 64_000L * 1000;
        wrapping.receiverClockOffsetMicros = 64_000L * ((1L << 23) - 5 * 1000 / 64);
        for (long t = 1; t <= 12; t++) {
            plain.runUntil(t * SECOND);
            wrapping.runUntil(t * SECOND);
            assertEquals(plain.estimator.estimateBps(), wrapping.estimator.estimateBps(),
                    "at " + t + " s:" + plain.trace() + " / wrapping:" + wrapping.trace());
        }
    }

    @Test
    void boundsHoldTheEstimate() {
        SendSideEstimator estimator = new SendSideEstimator(300_000);
        estimator.setBounds(100_000, 400_000);
        LinkSimulation sim = new LinkSimulation(estimator, 5_000_000, 6);
        sim.runUntil(15 * SECOND);
        assertEquals(400_000, estimator.estimateBps(), "capped at the maximum:" + sim.trace());
        estimator.setBounds(100_000, 200_000);
        assertEquals(200_000, estimator.estimateBps(), "a lower maximum applies at once");
    }

    /**
     * A subscriber may send any feedback at all: random sequence numbers, arrival times that jump or go
     * back, reference times all over the 24 bits. The estimator never throws and stays within bounds.
     */
    @Test
    void arbitraryFeedbackKeepsTheEstimateWithinBounds() {
        Random random = new Random(14);
        SendSideEstimator estimator = new SendSideEstimator();
        estimator.setBounds(80_000, 9_000_000);
        TransportFeedback.Writer writer = new TransportFeedback.Writer();
        TransportFeedback.Result result = new TransportFeedback.Result();
        byte[] packet = new byte[TransportFeedback.maxLength(300)];
        long[] arrivals = new long[300];
        long now = 0;
        int seq = 0;
        for (int round = 0; round < 20_000; round++) {
            now += random.nextInt(20_000);
            for (int k = random.nextInt(30); k > 0; k--) {
                estimator.onPacketSent(seq++ & 0xFFFF, 50 + random.nextInt(1200), now);
            }
            int count = 1 + random.nextInt(300);
            long arrival = (random.nextLong() % (1L << 23)) * TransportFeedback.REFERENCE_TIME_MICROS;
            for (int i = 0; i < count; i++) {
                if (random.nextInt(5) == 0) {
                    arrivals[i] = TransportFeedback.NOT_RECEIVED;
                    continue;
                }
                arrival += random.nextInt(10) == 0 ? -random.nextInt(8_000_000) : random.nextInt(100_000);
                arrivals[i] = arrival;
            }
            int base = random.nextBoolean() ? (seq - random.nextInt(400)) & 0xFFFF : random.nextInt(65536);
            int len = writer.write(packet, 0, 1, 2, base, arrivals, count, round);
            assertTrue(TransportFeedback.parse(packet, 0, len, result));
            estimator.onFeedback(result, now);
            long estimate = estimator.estimateBps();
            assertTrue(estimate >= 80_000 && estimate <= 9_000_000, "round " + round + ": " + estimate + " bps");
        }
    }
}
