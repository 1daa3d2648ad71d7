package org.huisclos.launcher;

/**
 * How late a periodic event-loop timer fires: a blocked or overloaded event loop delays it. Keeps
 * the largest delay per second for the last {@link #WINDOW_SECONDS} seconds, so that a scrape
 * sees the worst delay since the previous one (Prometheus scrapes every 15 s) without resetting
 * anything when it reads. Times are {@link System#nanoTime()} values passed in (testable).
 */
final class EventLoopDelay {
    static final long PERIOD_MS = 100;
    static final int WINDOW_SECONDS = 15;
    private static final long PERIOD_NANOS = PERIOD_MS * 1_000_000L;
    private static final long SECOND = 1_000_000_000L;

    private final long[] maxNanos = new long[WINDOW_SECONDS];
    private final long[] secondOf = new long[WINDOW_SECONDS];
    private long origin;
    private long last;

    synchronized void start(long now) {
        origin = now;
        last = now;
        java.util.Arrays.fill(secondOf, -1);
    }

    /** The timer fired at {@code now}; it was due {@link #PERIOD_MS} after the previous firing. */
    synchronized void fired(long now) {
        long delay = Math.max(0, now - last - PERIOD_NANOS);
        last = now;
        long second = (now - origin) / SECOND;
        int i = (int) (second % WINDOW_SECONDS);
        if (secondOf[i] != second) {
            secondOf[i] = second;
            maxNanos[i] = 0;
        }
        maxNanos[i] = Math.max(maxNanos[i], delay);
    }

    /** The largest delay of the last {@link #WINDOW_SECONDS} seconds, in seconds. */
    synchronized double maxSeconds(long now) {
        long second = (now - origin) / SECOND;
        long max = 0;
        for (int i = 0; i < WINDOW_SECONDS; i++) {
            if (secondOf[i] >= 0 && second - secondOf[i] < WINDOW_SECONDS) {
                max = Math.max(max, maxNanos[i]);
            }
        }
        return max / 1e9;
    }
}
