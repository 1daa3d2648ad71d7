package org.huisclos.media.speech;

/**
 * A bounded single-producer, single-consumer queue of audio levels: the I/O thread {@link #offer}s, the
 * tick thread reads what {@link #published} says is there and {@link #release}s it.
 *
 * <p>Slots are plain arrays; the two volatile counters carry the ordering. The producer writes a slot,
 * then stores {@code written} (its release), so a consumer that reads {@code written} sees the slot. The
 * consumer reads slots, then stores {@code consumed}, and the producer overwrites a slot only after it has
 * read a {@code consumed} past it, so no slot is rewritten while it is read. A full ring drops the new
 * level and counts it rather than block the I/O thread.
 */
final class LevelRing {
    private final int mask;
    private final int[] participants;
    private final int[] levels;
    private final long[] times;
    private volatile long written;
    private volatile long consumed;
    /** Producer only: the next sequence, and the last {@code consumed} it read (re-read only when full). */
    private long next;
    private long consumedSeen;
    /** Written by the producer only, so the increment is not racy; volatile so others can read it. */
    private volatile long dropped;

    /** {@code capacity} is rounded up to a power of two. */
    LevelRing(int capacity) {
        int size = Integer.highestOneBit(Math.max(2, capacity - 1)) << 1;
        mask = size - 1;
        participants = new int[size];
        levels = new int[size];
        times = new long[size];
    }

    int capacity() {
        return mask + 1;
    }

    /** Producer thread. False, and the level counted in {@link #dropped}, when the consumer is a full ring behind. */
    boolean offer(int participant, int level, long atMillis) {
        long s = next;
        if (s - consumedSeen > mask) {
            consumedSeen = consumed;
            if (s - consumedSeen > mask) {
                dropped++;
                return false;
            }
        }
        int i = (int) s & mask;
        participants[i] = participant;
        levels[i] = level;
        times[i] = atMillis;
        next = s + 1;
        written = s + 1;
        return true;
    }

    /** Consumer thread: the sequence after the last published level; read the slots up to it. */
    long published() {
        return written;
    }

    /** Consumer thread: the next sequence to read, the first not yet released. */
    long consumed() {
        return consumed;
    }

    int participant(long sequence) {
        return participants[(int) sequence & mask];
    }

    int level(long sequence) {
        return levels[(int) sequence & mask];
    }

    long atMillis(long sequence) {
        return times[(int) sequence & mask];
    }

    /** Consumer thread: the slots before {@code sequence} are read and may be reused. */
    void release(long sequence) {
        consumed = sequence;
    }

    long dropped() {
        return dropped;
    }
}
