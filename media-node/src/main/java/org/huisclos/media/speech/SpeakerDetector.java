package org.huisclos.media.speech;

import java.util.Arrays;

/**
 * The dominant speaker of one room, with hysteresis, and the order of its recent speakers.
 *
 * <p><b>Input.</b> The I/O thread calls {@link #onLevel} for every audio packet that carries a level
 * (RFC 6464: 0–127 -dBov, 127 silence). It only appends to a {@link LevelRing}: no allocation, no lock.
 *
 * <p><b>Evaluation.</b> The event loop calls {@link #tick} every ~300 ms; it drains the ring into 100 ms
 * bins per participant and scores the last second (the last {@value #WINDOW_BINS} whole bins): the
 * participant's loudness (127 − level) averaged over the window, a bin without packets counting as
 * silence (Opus DTX sends none), and how many bins were speech (mean level ≤ {@value #SPEECH_LEVEL}).
 * A challenger replaces the dominant speaker when it has at least {@value #MIN_SPEECH_BINS} speech bins
 * in the window and a score at least {@value #MARGIN} above the dominant speaker's, at every tick for
 * {@value #SUSTAIN_MILLIS} ms. So a cough (under 300 ms, three or four bins) never takes the floor, and
 * neither does silence or steady background noise: the floor stays with the last one who held it. With
 * no dominant speaker yet, the first with enough speech bins takes the floor at once.
 *
 * <p><b>Threads.</b> {@link #onLevel} on one thread (the I/O thread); {@link #tick}, {@link #remove},
 * {@link #recentSpeakers} and everything else on one other thread (the event loop), which owns all the
 * bins and scores as plain fields. The ring between them is the only shared state, and its two volatile
 * counters order it (see {@link LevelRing}). {@link #dominant} is volatile, so any thread may read it.
 *
 * <p><b>Participants</b> are indices {@code 0 <= i < capacity()} the caller assigns. An index is reused
 * after {@link #remove}: levels of the old participant still in the ring are applied and then forgotten,
 * so the caller must stop calling {@link #onLevel} for the old participant before it removes it (the
 * forwarder drops the endpoint first). Out-of-range indices and levels are ignored.
 *
 * <p>Both clocks are the same millisecond clock, e.g. {@code System.nanoTime() / 1_000_000}.
 */
public final class SpeakerDetector {
    public static final int SILENCE = 127;
    public static final int BIN_MILLIS = 100;
    /** About one second of bins: the window both the challenger and the dominant speaker are scored on. */
    public static final int WINDOW_BINS = 10;
    /** A bin whose mean level is at most this (-dBov) is speech; room noise is quieter, about 70–90. */
    public static final int SPEECH_LEVEL = 60;
    /** Half the window must be speech: a cough or a door slam fills three or four bins at most. */
    public static final int MIN_SPEECH_BINS = 5;
    /** How much louder (in dB of mean loudness over the window) a challenger must be. */
    public static final int MARGIN = 8;
    /** How long the challenger must stay clearly louder, checked at every tick. */
    public static final long SUSTAIN_MILLIS = 1000;
    /** Levels a participant can send in this many milliseconds (50 packets/s) fit in the ring. */
    static final int RING_MILLIS = 1280;
    private static final int HISTORY_BINS = 16; // a power of two, more than WINDOW_BINS + one tick
    private static final long NEVER = Long.MIN_VALUE;

    private final int capacity;
    private final LevelRing ring;
    private volatile int dominant = -1;

    // Everything below belongs to the tick thread.
    private final long[] binNumber; // participant * HISTORY_BINS + slot: which bin the slot holds
    private final int[] binLoudness; // sum of (127 - level) of the bin's packets
    private final int[] binPackets;
    private final boolean[] present;
    private final long[] lastSpeechBin;
    private final int[] score;
    private final int[] speechBins;
    private final int[] order;
    private final boolean[] ordered;
    private int orderSize;
    private int challenger = -1;
    private long challengerSince;

    /** A room of up to {@code capacity} participants, indices {@code 0 .. capacity - 1}. */
    public SpeakerDetector(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("a room holds at least one participant, not " + capacity);
        }
        this.capacity = capacity;
        ring = new LevelRing(capacity * (RING_MILLIS / 20));
        binNumber = new long[capacity * HISTORY_BINS];
        Arrays.fill(binNumber, NEVER);
        binLoudness = new int[capacity * HISTORY_BINS];
        binPackets = new int[capacity * HISTORY_BINS];
        present = new boolean[capacity];
        lastSpeechBin = new long[capacity];
        Arrays.fill(lastSpeechBin, NEVER);
        score = new int[capacity];
        speechBins = new int[capacity];
        order = new int[capacity];
        ordered = new boolean[capacity];
    }

    public int capacity() {
        return capacity;
    }

    /** I/O thread, per audio packet: participant {@code participantIndex} sent {@code level} -dBov. */
    public void onLevel(int participantIndex, int level, long nowMillis) {
        if (participantIndex >= 0 && participantIndex < capacity && level >= 0 && level <= SILENCE) {
            ring.offer(participantIndex, level, nowMillis);
        }
    }

    /** Levels dropped because the ring was full: the event loop did not tick for over a second. */
    public long droppedLevels() {
        return ring.dropped();
    }

    /** The participant who holds the floor, or -1 before anyone has spoken. Any thread. */
    public int dominant() {
        return dominant;
    }

    /**
     * Tick thread: writes up to {@code n} (and {@code out.length}) participants who have spoken, the
     * dominant speaker first, then the others by how recently they spoke; returns how many it wrote.
     */
    public int recentSpeakers(int n, int[] out) {
        int count = Math.min(Math.min(n, out.length), orderSize);
        System.arraycopy(order, 0, out, 0, Math.max(0, count));
        return Math.max(0, count);
    }

    /** Tick thread, every ~300 ms: takes in the levels so far and decides who holds the floor. */
    public void tick(long nowMillis) {
        drain();
        long current = Math.floorDiv(nowMillis, BIN_MILLIS);
        for (int p = 0; p < capacity; p++) {
            if (present[p]) {
                scoreWindow(p, current);
            }
        }
        decide(nowMillis);
        reorder();
    }

    /** Tick thread: forgets participant {@code participantIndex}, so its index can be reused. */
    public void remove(int participantIndex) {
        if (participantIndex < 0 || participantIndex >= capacity) {
            return;
        }
        drain();
        int p = participantIndex;
        Arrays.fill(binNumber, p * HISTORY_BINS, (p + 1) * HISTORY_BINS, NEVER);
        present[p] = false;
        lastSpeechBin[p] = NEVER;
        score[p] = 0;
        speechBins[p] = 0;
        if (ordered[p]) {
            ordered[p] = false;
            int at = 0;
            while (order[at] != p) {
                at++;
            }
            System.arraycopy(order, at + 1, order, at, orderSize - at - 1);
            orderSize--;
        }
        if (challenger == p) {
            challenger = -1;
        }
        if (dominant == p) {
            dominant = -1;
        }
    }

    private void drain() {
        long end = ring.published();
        for (long s = ring.consumed(); s < end; s++) {
            add(ring.participant(s), ring.level(s), ring.atMillis(s));
        }
        ring.release(end);
    }

    private void add(int p, int level, long atMillis) {
        long bin = Math.floorDiv(atMillis, BIN_MILLIS);
        int slot = p * HISTORY_BINS + (int) (bin & (HISTORY_BINS - 1));
        if (binNumber[slot] > bin) {
            return; // older than the history kept; its slot holds a newer bin
        }
        if (binNumber[slot] < bin) {
            binNumber[slot] = bin;
            binLoudness[slot] = 0;
            binPackets[slot] = 0;
        }
        binLoudness[slot] += SILENCE - level;
        binPackets[slot]++;
        present[p] = true;
    }

    /** Mean loudness (127 - level) of participant {@code p}'s packets in {@code bin}; 0 (silence) without packets. */
    private int loudness(int p, long bin) {
        int slot = p * HISTORY_BINS + (int) (bin & (HISTORY_BINS - 1));
        return binNumber[slot] == bin && binPackets[slot] > 0 ? binLoudness[slot] / binPackets[slot] : 0;
    }

    private void scoreWindow(int p, long currentBin) {
        int sum = 0;
        int speech = 0;
        for (long b = currentBin - WINDOW_BINS; b < currentBin; b++) {
            int loud = loudness(p, b);
            sum += loud;
            if (loud >= SILENCE - SPEECH_LEVEL) {
                speech++;
                lastSpeechBin[p] = Math.max(lastSpeechBin[p], b);
            }
        }
        score[p] = sum / WINDOW_BINS;
        speechBins[p] = speech;
    }

    private void decide(long nowMillis) {
        int d = dominant;
        int best = -1;
        for (int p = 0; p < capacity; p++) {
            if (p != d && present[p] && speechBins[p] >= MIN_SPEECH_BINS
                    && (d < 0 || score[p] >= score[d] + MARGIN) && (best < 0 || score[p] > score[best])) {
                best = p;
            }
        }
        if (best < 0) {
            challenger = -1;
        } else if (d < 0) {
            dominant = best;
            challenger = -1;
        } else if (best != challenger) {
            challenger = best;
            challengerSince = nowMillis;
        } else if (nowMillis - challengerSince >= SUSTAIN_MILLIS) {
            dominant = best;
            challenger = -1;
        }
    }

    /** Dominant speaker first, then by last speech bin; a stable sort, so ties keep their previous order. */
    private void reorder() {
        int d = dominant;
        for (int p = 0; p < capacity; p++) {
            if (!ordered[p] && lastSpeechBin[p] != NEVER) {
                ordered[p] = true;
                order[orderSize++] = p;
            }
        }
        for (int i = 1; i < orderSize; i++) {
            int p = order[i];
            long key = recency(p, d);
            int j = i - 1;
            while (j >= 0 && recency(order[j], d) < key) {
                order[j + 1] = order[j];
                j--;
            }
            order[j + 1] = p;
        }
    }

    private long recency(int p, int dominant) {
        return p == dominant ? Long.MAX_VALUE : lastSpeechBin[p];
    }
}
