package org.huisclos.loadgen;

import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The measured packets one receiving participant got from each of a few publishers it was told to watch:
 * the soak's loss per (publisher, subscriber) pair, so that a pair whose publisher joins or leaves in a
 * window can be left out without losing the others. The soak sets the publishers between measured windows;
 * the receiver thread counts; nothing is added on the receiving path (a packet from a publisher not watched
 * is not counted here).
 */
final class PairCounts {
    static final int SLOTS = 4;
    private static final int NONE = -1;
    private final AtomicIntegerArray publishers = new AtomicIntegerArray(SLOTS);
    private final AtomicLongArray counts = new AtomicLongArray(SLOTS);

    PairCounts() {
        clear();
    }

    /** Watches nobody. */
    void clear() {
        for (int i = 0; i < SLOTS; i++) {
            publishers.set(i, NONE);
        }
    }

    /** Counts the measured packets of {@code publisher} (its index) from 0; false when all slots are taken. */
    boolean watch(int publisher) {
        for (int i = 0; i < SLOTS; i++) {
            if (publishers.get(i) == NONE) {
                counts.set(i, 0);
                publishers.set(i, publisher);
                return true;
            }
        }
        return false;
    }

    /** A measured packet of {@code publisher} arrived (receiver thread). */
    void count(int publisher) {
        for (int i = 0; i < SLOTS; i++) {
            if (publishers.get(i) == publisher) {
                counts.incrementAndGet(i);
                return;
            }
        }
    }

    /** The measured packets of {@code publisher} counted since {@link #watch}; -1 when not watched. */
    long received(int publisher) {
        for (int i = 0; i < SLOTS; i++) {
            if (publishers.get(i) == publisher) {
                return counts.get(i);
            }
        }
        return -1;
    }
}
