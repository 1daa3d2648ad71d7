package org.huisclos.media.bwe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The estimator's parts one by one, with the figures of draft-ietf-rmcat-gcc-02 they implement. */
class BwePartsTest {

    @Test
    void sentPacketsAreFoundAcrossTheSequenceNumberWrap() {
        SentPackets sent = new SentPackets();
        for (int i = 0; i < 20; i++) {
            sent.onSent((65530 + i) & 0xFFFF, 1000 + i, 5_000L * i);
        }
        for (int i = 0; i < 20; i++) {
            int slot = sent.find((65530 + i) & 0xFFFF);
            assertTrue(slot >= 0, "seq " + ((65530 + i) & 0xFFFF));
            assertEquals(1000 + i, sent.size(slot));
            assertEquals(5_000L * i, sent.sendMicros(slot));
        }
        assertEquals(-1, sent.find(14), "not sent yet");
        assertEquals(-1, sent.find(65000), "never sent");
        for (int i = 20; i < 20 + SentPackets.CAPACITY; i++) {
            sent.onSent((65530 + i) & 0xFFFF, 1200, 5_000L * i);
        }
        assertEquals(-1, sent.find(65530), "pushed out of the ring");
        assertTrue(sent.find((65530 + 20 + SentPackets.CAPACITY - 1) & 0xFFFF) >= 0);
    }

    @Test
    void packetsSentWithin5msAreOneGroup() {
        InterArrival groups = new InterArrival();
        int deltas = 0;
        for (int group = 0; group < 4; group++) {
            for (int k = 0; k < 5; k++) {
                long send = 20_000L * group + 1_000L * k;
                long arrival = send + 30_000 + 2_000L * group;
                if (groups.add(send, arrival)) {
                    deltas++;
                    assertEquals(0, k, "a delta comes out when the next group starts");
                    assertEquals(20_000, groups.sendDeltaMicros);
                    assertEquals(22_000, groups.arrivalDeltaMicros, "2 ms more queueing per group");
                }
            }
        }
        assertEquals(2, deltas, "four groups, the last still open: two deltas");
    }

    @Test
    void packetsQueuedBehindEachOtherJoinTheBurst() {
        InterArrival groups = new InterArrival();
        assertFalse(groups.add(0, 100_000));
        assertFalse(groups.add(10_000, 100_500), "sent 10 ms later, arrived 0.5 ms later: same burst");
        assertFalse(groups.add(20_000, 101_000));
        assertFalse(groups.add(40_000, 140_000), "a new group");
        assertTrue(groups.add(60_000, 160_000));
        assertEquals(40_000 - 20_000, groups.sendDeltaMicros);
        assertEquals(140_000 - 101_000, groups.arrivalDeltaMicros);
    }

    /** §5.4: overuse needs the trend above the threshold for over 10 ms and at least two deltas. */
    @Test
    void overuseIsSignalledOnlyWhenItLasts() {
        OveruseDetector detector = new OveruseDetector();
        assertEquals(BandwidthUsage.NORMAL, detector.detect(0.1, 60, 5_000, 1_000_000), "one delta over");
        assertEquals(BandwidthUsage.NORMAL, detector.detect(0.1, 60, 5_000, 1_005_000), "7.5 ms so far");
        assertEquals(BandwidthUsage.OVERUSING, detector.detect(0.1, 60, 5_000, 1_010_000), "12.5 ms");
        assertEquals(BandwidthUsage.OVERUSING, detector.detect(0.09, 60, 5_000, 1_015_000),
                "still above γ though falling: overuse holds");
        assertEquals(BandwidthUsage.NORMAL, detector.detect(0.01, 60, 5_000, 1_020_000), "2.4 is inside ±γ");
        assertEquals(BandwidthUsage.UNDERUSING, detector.detect(-0.1, 60, 5_000, 1_025_000));
        assertTrue(detector.threshold() >= OveruseDetector.MIN_THRESHOLD && detector.threshold() <= OveruseDetector.MAX_THRESHOLD);
    }

    @Test
    void aConstantDelayGradientGivesItsSlope() {
        Trendline trendline = new Trendline();
        double slope = 0;
        for (int i = 1; i <= 200; i++) {
            slope = trendline.update(10_000, 11_000, 10_000L * i);
        }
        assertEquals(0.1, slope, 0.01, "1 ms more delay every 10 ms");
        assertEquals(200, trendline.deltas());
    }

    @Test
    void acknowledgedBitrateIsTheReceivedRate() {
        AckedBitrate acked = new AckedBitrate();
        assertEquals(-1, acked.bps());
        for (int i = 0; i < 2000; i++) {
            acked.onAcknowledged(5_000_000L + 1_000L * i, 1200);
        }
        assertEquals(9_600_000, acked.bps(), 9_600_000 * 0.03, "1200 bytes a millisecond");
        acked.onAcknowledged(5_000_000L + 10_000_000, 1200);
        assertEquals(19_600, acked.bps(), 2_000, "after a 10 s gap: one packet in the 500 ms window");
    }

    /** §5.5: on overuse the rate goes to 0.85 × the acknowledged rate, then holds. */
    @Test
    void overuseDecreasesToBetaTimesTheAcknowledgedRate() {
        AimdRateControl aimd = new AimdRateControl(2_000_000, 50_000, 10_000_000);
        assertEquals(1_700_000, aimd.update(BandwidthUsage.OVERUSING, 2_000_000, 50_000, 1_000_000), 1);
        assertFalse(aimd.timeToReduceFurther(1_030_000, 50_000, 1_700_000), "within one RTT of the last change");
        assertTrue(aimd.timeToReduceFurther(1_030_000, 50_000, 800_000), "unless the received rate collapsed");
        assertTrue(aimd.timeToReduceFurther(1_060_000, 50_000, 1_700_000), "one RTT later");
        assertEquals(1_700_000, aimd.update(BandwidthUsage.UNDERUSING, 1_700_000, 50_000, 1_100_000), 1,
                "underuse holds");
        aimd.update(BandwidthUsage.NORMAL, 1_700_000, 50_000, 1_200_000);
        long later = aimd.update(BandwidthUsage.NORMAL, 1_700_000, 50_000, 2_200_000);
        assertTrue(later > 1_700_000 && later < 1_700_000 * 1.08,
                "near the known capacity the increase is additive: " + later);
    }

    @Test
    void multiplicativeIncreaseIs8PercentASecondAndStaysNear1Point5TimesTheAcknowledgedRate() {
        AimdRateControl aimd = new AimdRateControl(1_000_000, 50_000, 10_000_000);
        assertEquals(1_001_000, aimd.update(BandwidthUsage.NORMAL, 1_000_000, 50_000, 0), "the first step is the minimum, 1 kbit/s");
        assertEquals(1_081_080, aimd.update(BandwidthUsage.NORMAL, 1_000_000, 50_000, 1_000_000), 1);
        long rate = 0;
        for (int second = 2; second <= 10; second++) {
            rate = aimd.update(BandwidthUsage.NORMAL, 1_000_000, 50_000, second * 1_000_000L);
        }
        assertEquals(1_510_000, rate, "capped at 1.5 × the acknowledged 1 Mbit/s + 10 kbit/s");
    }

    /** §6: under 2 % grow, 2 to 10 % hold, over 10 % multiply by (1 − 0.5 p); never above the delay-based rate. */
    @Test
    void lossBasedRateFollowsTheLossFraction() {
        LossBasedControl loss = new LossBasedControl(1_000_000);
        loss.onReported(100, 15);
        assertEquals(925_000, loss.update(5_000_000, 50_000, 1_000_000), "15 % loss: × 0.925");
        loss.onReported(100, 5);
        assertEquals(925_000, loss.update(5_000_000, 50_000, 2_000_000), "5 % holds");
        loss.onReported(100, 1);
        assertEquals(925_000 * 1.08 + 1_000, loss.update(5_000_000, 50_000, 3_000_000), 1, "1 % grows 8 % a second");
        loss.onReported(100, 50);
        assertEquals(1_000_000, loss.update(5_000_000, 50_000, 3_500_000), 1, "under a second since the last update");
        assertEquals(750_000, loss.update(5_000_000, 50_000, 4_000_000), 1, "then 50 % loss: × 0.75");
        loss.onReported(10, 9);
        assertEquals(700_000, loss.update(700_000, 50_000, 5_000_000), "too few packets to judge; capped by the delay-based rate");
    }
}
