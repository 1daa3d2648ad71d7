package org.huisclos.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The event-loop delay is the worst lateness of the last 15 seconds. */
class EventLoopDelayTest {
    private static final long MS = 1_000_000L;

    @Test
    void theWorstLatenessOfTheWindow() {
        EventLoopDelay d = new EventLoopDelay();
        long t = 1_000_000 * MS;
        d.start(t);
        assertEquals(0, d.maxSeconds(t));
        t += 100 * MS;
        d.fired(t); // on time
        assertEquals(0, d.maxSeconds(t));
        t += 350 * MS;
        d.fired(t); // 250 ms late
        t += 120 * MS;
        d.fired(t); // 20 ms late
        assertEquals(0.25, d.maxSeconds(t), 1e-9);
        for (int i = 0; i < 140; i++) { // 14 s of on-time firings: the 250 ms is still in the window
            t += 100 * MS;
            d.fired(t);
        }
        assertEquals(0.25, d.maxSeconds(t), 1e-9);
        for (int i = 0; i < 20; i++) {
            t += 100 * MS;
            d.fired(t);
        }
        assertEquals(0, d.maxSeconds(t), 1e-9, "older than 15 s: gone");
    }

    @Test
    void aStoppedTimerShowsNothingStale() {
        EventLoopDelay d = new EventLoopDelay();
        long t = 5 * MS;
        d.start(t);
        d.fired(t + 600 * MS);
        assertEquals(0.5, d.maxSeconds(t + 600 * MS), 1e-9);
        assertEquals(0, d.maxSeconds(t + 60_000 * MS), 1e-9);
    }
}
