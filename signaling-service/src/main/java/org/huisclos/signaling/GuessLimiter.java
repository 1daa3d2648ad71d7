package org.huisclos.signaling;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Counts events in a sliding window, by a key: wrong password guesses by room key or by a client's
 * keyed address hash ({@link ClientAddresses}), {@code set-password} by room key. At most
 * {@link #LIMIT} per {@link #WINDOW_MILLIS} unless constructed otherwise. In memory only, per
 * signaling instance; keys are never names or addresses in clear. Confined to the signaling event loop.
 */
final class GuessLimiter {
    static final int LIMIT = 5;
    static final long WINDOW_MILLIS = 60_000;
    /** Rooms tracked at most; beyond it the key whose last wrong guess is oldest goes (memory stays bounded). */
    static final int MAX_KEYS = 10_000;

    /** In the order of each key's latest wrong guess, oldest first (a key moves to the end on each). */
    private final Map<String, ArrayDeque<Long>> failures = new LinkedHashMap<>();
    private final int limit;
    private final long windowMillis;

    GuessLimiter() {
        this(LIMIT, WINDOW_MILLIS);
    }

    GuessLimiter(int limit, long windowMillis) {
        this.limit = limit;
        this.windowMillis = windowMillis;
    }

    /** How many were counted under {@code key} within the window. */
    int count(String key, long now) {
        ArrayDeque<Long> times = failures.get(key);
        if (times == null) {
            return 0;
        }
        prune(times, now);
        return times.size();
    }

    /** Milliseconds until another guess is allowed; 0 when one is allowed now. */
    long retryAfterMillis(String key, long now) {
        ArrayDeque<Long> times = failures.get(key);
        if (times == null) {
            return 0;
        }
        prune(times, now);
        if (times.isEmpty()) {
            failures.remove(key);
            return 0;
        }
        return times.size() < limit ? 0 : Math.max(1, times.peekFirst() + windowMillis - now);
    }

    void failed(String key, long now) {
        ArrayDeque<Long> times = failures.remove(key);
        if (times == null) {
            times = new ArrayDeque<>();
            if (failures.size() >= MAX_KEYS) {
                sweep(now);
                if (failures.size() >= MAX_KEYS) {
                    Iterator<String> it = failures.keySet().iterator();
                    it.next(); // the key whose latest wrong guess is the oldest
                    it.remove();
                }
            }
        }
        times.addLast(now);
        failures.put(key, times); // last in the order: its latest guess is now
    }

    /** Takes back a guess counted with {@link #failed} at {@code at} (it turned out right). */
    void forgive(String key, long at) {
        ArrayDeque<Long> times = failures.get(key);
        if (times != null) {
            times.removeLastOccurrence(at);
            if (times.isEmpty()) {
                failures.remove(key);
            }
        }
    }

    private void sweep(long now) {
        failures.values().removeIf(times -> {
            prune(times, now);
            return times.isEmpty();
        });
    }

    private void prune(ArrayDeque<Long> times, long now) {
        while (!times.isEmpty() && times.peekFirst() + windowMillis <= now) {
            times.removeFirst();
        }
    }
}
