package org.huisclos.media.bwe;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.huisclos.media.rtcp.TransportFeedback;

/**
 * A discrete-event simulation of one subscriber's downlink, in simulated microseconds: the node paces
 * 1200-byte packets at the estimate (or at a fixed rate), through a bottleneck of {@link #capacityBps}
 * with a drop-tail queue of {@link #queueLimitBytes}, optional random loss after it, and a fixed one-way
 * delay. The subscriber reports every {@link #feedbackIntervalMicros} on its own clock, through the
 * transport feedback {@link TransportFeedback.Writer} and {@link TransportFeedback#parse}, and the
 * feedback takes the same one-way delay back. Arrivals follow the queue's order, so the subscriber
 * reports each packet once it saw a later one arrive.
 */
final class LinkSimulation {
    static final int PACKET_BYTES = 1200;
    private static final int MAX_PACKETS = 1 << 20;
    private static final int FEEDBACK_RING = 64;
    private static final long NR = TransportFeedback.NOT_RECEIVED;

    final SendSideEstimator estimator;
    long capacityBps;
    double lossRate;
    long fixedRateBps;
    int queueLimitBytes = 120_000;
    long oneWayDelayMicros = 30_000;
    long feedbackIntervalMicros = 50_000;
    /** The subscriber's clock minus the node's. */
    long receiverClockOffsetMicros = 123_456_000_000L;

    private final Random random;
    private final TransportFeedback.Writer writer = new TransportFeedback.Writer();
    private final TransportFeedback.Result result = new TransportFeedback.Result();
    private final long[] arrivals = new long[MAX_PACKETS];
    private final long[] report = new long[TransportFeedback.MAX_STATUS_COUNT];
    private final byte[][] feedback = new byte[FEEDBACK_RING][TransportFeedback.maxLength(TransportFeedback.MAX_STATUS_COUNT)];
    private final int[] feedbackLength = new int[FEEDBACK_RING];
    private final long[] feedbackDeliverAt = new long[FEEDBACK_RING];
    private int feedbackHead;
    private int feedbackTail;
    private final int firstSeq;
    private int sentPackets;
    private int reportedUpTo;
    private int feedbackCount;
    private long now;
    private long nextSendAt;
    private long nextFeedbackAt;
    private long linkFreeAt;
    private long maxQueueDelayMicros;
    private final StringBuilder trace = new StringBuilder();

    LinkSimulation(SendSideEstimator estimator, long capacityBps, long seed) {
        this.estimator = estimator;
        this.capacityBps = capacityBps;
        this.random = new Random(seed);
        this.firstSeq = 65_000;
    }

    long now() {
        return now;
    }

    long queueDelayMicros() {
        return Math.max(0, linkFreeAt - now);
    }

    /** The longest queueing delay a packet met since the last call. */
    long takeMaxQueueDelayMicros() {
        long max = maxQueueDelayMicros;
        maxQueueDelayMicros = 0;
        return max;
    }

    /** Runs to {@code untilMicros}, noting the estimate in the trace every second. */
    void runUntil(long untilMicros) {
        while (true) {
            long delivery = feedbackHead != feedbackTail ? feedbackDeliverAt[feedbackHead % FEEDBACK_RING] : Long.MAX_VALUE;
            if (nextFeedbackAt == 0) {
                nextFeedbackAt = feedbackIntervalMicros;
            }
            long next = Math.min(nextSendAt, Math.min(nextFeedbackAt, delivery));
            if (next > untilMicros) {
                now = untilMicros;
                return;
            }
            if (next / 1_000_000 != now / 1_000_000) {
                note(next / 1_000_000 * 1_000_000);
            }
            now = next;
            if (next == delivery) {
                deliverFeedback();
            } else if (next == nextFeedbackAt) {
                sendFeedback();
            } else {
                sendPacket();
            }
        }
    }

    private void note(long second) {
        trace.append(String.format(" t=%ds %dk(q %dms)", second / 1_000_000, estimator.estimateBps() / 1000,
                Math.max(0, linkFreeAt - second) / 1000));
    }

    /** The estimate once a second so far, for assertion messages. */
    String trace() {
        return trace + String.format(" | now: estimate %dk, delay-based %dk, loss-based %dk, acked %dk, loss %.3f, rtt %dms",
                estimator.estimateBps() / 1000, estimator.delayBasedBps() / 1000, estimator.lossBasedBps() / 1000,
                estimator.acknowledgedBps() / 1000, estimator.lossFraction(), estimator.rttMicros() / 1000);
    }

    private void sendPacket() {
        assertTrue(sentPackets < MAX_PACKETS, "simulation ran out of room");
        int n = sentPackets++;
        estimator.onPacketSent((firstSeq + n) & 0xFFFF, PACKET_BYTES, now);
        long serviceMicros = PACKET_BYTES * 8L * 1_000_000 / capacityBps;
        long backlogMicros = Math.max(0, linkFreeAt - now);
        long backlogBytes = backlogMicros * capacityBps / 8 / 1_000_000;
        if (backlogBytes + PACKET_BYTES > queueLimitBytes) {
            arrivals[n] = NR;
        } else {
            maxQueueDelayMicros = Math.max(maxQueueDelayMicros, backlogMicros);
            linkFreeAt = Math.max(now, linkFreeAt) + serviceMicros;
            boolean lost = lossRate > 0 && random.nextDouble() < lossRate;
            arrivals[n] = lost ? NR : linkFreeAt + oneWayDelayMicros;
        }
        long rate = fixedRateBps > 0 ? fixedRateBps : estimator.estimateBps();
        nextSendAt = now + PACKET_BYTES * 8L * 1_000_000 / rate;
    }

    /** The subscriber reports every packet up to the last one that arrived by now. */
    private void sendFeedback() {
        nextFeedbackAt += feedbackIntervalMicros;
        int last = -1;
        for (int n = reportedUpTo; n < sentPackets; n++) {
            if (arrivals[n] == NR) {
                continue;
            }
            if (arrivals[n] > now) {
                break;
            }
            last = n;
        }
        while (last >= reportedUpTo) {
            int count = Math.min(last - reportedUpTo + 1, TransportFeedback.MAX_STATUS_COUNT);
            for (int i = 0; i < count; i++) {
                long arrival = arrivals[reportedUpTo + i];
                report[i] = arrival == NR ? NR : arrival + receiverClockOffsetMicros;
            }
            int slot = feedbackTail++ % FEEDBACK_RING;
            assertTrue(feedbackTail - feedbackHead <= FEEDBACK_RING, "feedback ring overflow");
            feedbackLength[slot] = writer.write(feedback[slot], 0, 0x5eed, 0, (firstSeq + reportedUpTo) & 0xFFFF,
                    report, count, feedbackCount++ & 0xFF);
            feedbackDeliverAt[slot] = now + oneWayDelayMicros;
            reportedUpTo += count;
        }
    }

    private void deliverFeedback() {
        int slot = feedbackHead++ % FEEDBACK_RING;
        assertTrue(TransportFeedback.parse(feedback[slot], 0, feedbackLength[slot], result), "feedback parses");
        estimator.onFeedback(result, now);
    }
}
