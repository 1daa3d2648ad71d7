package org.huisclos.loadgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** The soak's verdict: each target against start and end samples, and the per-pair counts behind loss. */
class SoakReportTest {
    private static JsonObject sample(int minute, long heapKb, long threads, long fds, long expected, long delivered) {
        return sample(minute, heapKb, threads - 20, 20, fds, expected, delivered);
    }

    private static JsonObject sample(int minute, long heapKb, long pool, long others, long fds, long expected,
                                     long delivered) {
        return new JsonObject().put("minute", minute).put("heapAfterGcKb", heapKb).put("heapUsedAfterGcKb", heapKb + 1000)
                .put("nonHeapKb", 20_000L).put("rssKb", 300_000L).put("threads", pool + others).put("fds", fds)
                .put("threadNames", new JsonObject().put("dtls-handshake-", pool).put("vert.x-eventloo", others))
                .put("cpuMicrosPerForwarded", 12.5)
                .put("loss", new SoakLoad.Loss(expected, delivered, 100, 10, 0).json())
                .put("joins", 1000L).put("leaves", 1000L).put("joinFailures", 0L).put("leaveFailures", 0L);
    }

    @Test
    void passesWhenEveryTargetHolds() {
        SoakReport.Verdict v = SoakReport.verdict(sample(2, 100_000, 35, 41, 5000, 5000),
                sample(60, 104_999, 35, 41, 5000, 5000), null, null);
        assertTrue(v.passed(), v.table());
    }

    @Test
    void heapGrowthOfFivePercentFails() {
        SoakReport.Verdict v = SoakReport.verdict(sample(2, 100_000, 35, 41, 5000, 5000),
                sample(60, 105_000, 35, 41, 5000, 5000), null, null);
        assertFalse(v.passed());
        assertTrue(v.table().contains("heap after GC grew"), v.table());
    }

    @Test
    void oneMoreThreadOrDescriptorFailsAndTheThreadIsNamed() {
        SoakReport.Verdict threads = SoakReport.verdict(sample(2, 100_000, 15, 20, 41, 5000, 5000),
                sample(60, 100_000, 15, 21, 41, 5000, 5000), null, null);
        assertFalse(threads.passed());
        assertTrue(threads.table().contains("vert.x-eventloo 20 -> 21"), threads.table());
        assertFalse(SoakReport.verdict(sample(2, 100_000, 35, 41, 5000, 5000),
                sample(60, 100_000, 35, 42, 5000, 5000), null, null).passed());
    }

    @Test
    void theHandshakePoolFollowsTheJoinsWithinItsBound() {
        SoakReport.Verdict more = SoakReport.verdict(sample(2, 100_000, 15, 20, 41, 5000, 5000),
                sample(60, 100_000, 17, 20, 41, 5000, 5000), null, null);
        assertTrue(more.passed(), "two more handshakes begun in the last 30 s: " + more.table());
        assertFalse(SoakReport.verdict(sample(2, 100_000, 15, 20, 41, 5000, 5000),
                sample(60, 100_000, 65, 20, 41, 5000, 5000), null, null).passed(), "above the pool's bound");
    }

    @Test
    void oneLostPacketAtStartOrEndFailsAndSoDoesAWindowThatCountedNothing() {
        assertFalse(SoakReport.verdict(sample(2, 100_000, 35, 41, 5000, 4999),
                sample(60, 100_000, 35, 41, 5000, 5000), null, null).passed());
        assertFalse(SoakReport.verdict(sample(2, 100_000, 35, 41, 5000, 5000),
                sample(60, 100_000, 35, 41, 5000, 4999), null, null).passed());
        assertFalse(SoakReport.verdict(sample(2, 100_000, 35, 41, 0, 0),
                sample(60, 100_000, 35, 41, 5000, 5000), null, null).passed());
    }

    @Test
    void pairCountsCountOnlyWatchedPublishers() {
        PairCounts c = new PairCounts();
        assertTrue(c.watch(7));
        assertTrue(c.watch(9));
        c.count(7);
        c.count(7);
        c.count(9);
        c.count(8); // not watched: not counted anywhere
        assertEquals(2, c.received(7));
        assertEquals(1, c.received(9));
        assertEquals(-1, c.received(8));
        c.clear();
        assertEquals(-1, c.received(7));
        assertTrue(c.watch(7));
        assertEquals(0, c.received(7), "a new watch counts from 0");
        for (int i = 1; i < PairCounts.SLOTS; i++) {
            assertTrue(c.watch(100 + i));
        }
        assertFalse(c.watch(200), "all slots taken");
    }
}
