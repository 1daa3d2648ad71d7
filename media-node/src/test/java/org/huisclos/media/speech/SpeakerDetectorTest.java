package org.huisclos.media.speech;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Simulated rooms: a packet every 20 ms per participant with a level, a tick every 300 ms. */
class SpeakerDetectorTest {
    static final int A = 0;
    static final int B = 1;
    static final int C = 2;
    static final int D = 3;
    static final int SPEECH = 30;
    static final int NOISE = 85;
    static final int SILENCE = SpeakerDetector.SILENCE;
    /** An arbitrary clock origin, so nothing depends on time starting at zero. */
    static final long T0 = 7_000_000_123L;

    /** Who sends which level when; without a segment covering a time, a participant sends nothing (DTX). */
    static final class Room {
        final SpeakerDetector detector = new SpeakerDetector(8);
        final List<long[]> segments = new ArrayList<>(); // participant, from, to, level
        final List<long[]> switches = new ArrayList<>(); // time since T0, new dominant
        long now = T0;

        Room speaks(int participant, long from, long to, int level) {
            segments.add(new long[] {participant, T0 + from, T0 + to, level});
            return this;
        }

        /** Advances to {@code T0 + until}, sending levels and ticking; returns the dominant speaker then. */
        int runUntil(long until) {
            while (now < T0 + until) {
                now += 20;
                for (long[] s : segments) {
                    if (now >= s[1] && now < s[2]) {
                        detector.onLevel((int) s[0], (int) s[3], now);
                    }
                }
                if ((now - T0) % 300 == 0) {
                    int before = detector.dominant();
                    detector.tick(now);
                    if (detector.dominant() != before) {
                        switches.add(new long[] {now - T0, detector.dominant()});
                    }
                }
            }
            return detector.dominant();
        }

        int[] recent(int n) {
            int[] out = new int[8];
            return Arrays.copyOf(out, detector.recentSpeakers(n, out));
        }
    }

    @Test
    void theFirstSpeakerTakesTheFloorOnceHalfASecondIsSpeech() {
        Room room = new Room().speaks(A, 0, 3000, SPEECH).speaks(B, 0, 3000, NOISE);
        assertEquals(-1, room.runUntil(300), "300 ms of speech is not enough");
        assertEquals(A, room.runUntil(3000));
        assertEquals(1, room.switches.size());
        long at = room.switches.get(0)[0];
        assertTrue(at >= 600 && at <= 900, "floor taken at " + at + " ms");
    }

    @Test
    void aSustainedNewSpeakerTakesTheFloorAfterAboutASecond() {
        Room room = new Room().speaks(A, 0, 3000, SPEECH).speaks(A, 3000, 9000, SILENCE)
                .speaks(B, 3000, 9000, SPEECH);
        assertEquals(A, room.runUntil(3000));
        assertEquals(B, room.runUntil(9000));
        assertEquals(2, room.switches.size());
        long at = room.switches.get(1)[0];
        assertTrue(at >= 3000 + 1500 && at <= 3000 + 2400, "B took the floor " + (at - 3000) + " ms after starting");
    }

    @Test
    void aLouderSpeakerTakesTheFloorOverCrosstalkButASlightlyLouderOneDoesNot() {
        Room clearly = new Room().speaks(A, 0, 10_000, 40).speaks(B, 2000, 10_000, 40 - SpeakerDetector.MARGIN - 4);
        assertEquals(A, clearly.runUntil(2000));
        assertEquals(B, clearly.runUntil(10_000));

        Room slightly = new Room().speaks(A, 0, 10_000, 40).speaks(B, 2000, 10_000, 40 - SpeakerDetector.MARGIN + 3);
        assertEquals(A, slightly.runUntil(10_000));
        assertEquals(1, slightly.switches.size());
    }

    @Test
    void aCoughDoesNotTakeTheFloor() {
        Room whileTalking = new Room().speaks(A, 0, 10_000, SPEECH).speaks(B, 5000, 5280, 0);
        assertEquals(A, whileTalking.runUntil(10_000));
        assertEquals(1, whileTalking.switches.size());

        Room inSilence = new Room().speaks(A, 0, 2000, SPEECH).speaks(B, 5000, 5280, 0);
        assertEquals(A, inSilence.runUntil(10_000));
        assertEquals(1, inSilence.switches.size());

        Room coughsInARow = new Room().speaks(A, 0, 2000, SPEECH);
        for (int t = 4000; t < 9000; t += 1000) {
            coughsInARow.speaks(B, t, t + 280, 0);
        }
        assertEquals(A, coughsInARow.runUntil(10_000), "one cough a second");

        Room noOneYet = new Room().speaks(B, 1000, 1280, 0);
        assertEquals(-1, noOneYet.runUntil(5000));
    }

    @Test
    void silenceAndNoiseDoNotTakeTheFloorAway() {
        Room dtx = new Room().speaks(A, 0, 2000, SPEECH); // then no packets at all
        assertEquals(A, dtx.runUntil(20_000));

        Room noisy = new Room().speaks(A, 0, 2000, SPEECH).speaks(A, 2000, 20_000, SILENCE)
                .speaks(B, 0, 20_000, NOISE).speaks(C, 0, 20_000, SpeakerDetector.SPEECH_LEVEL + 5);
        assertEquals(A, noisy.runUntil(20_000));
        assertEquals(1, noisy.switches.size());
    }

    @Test
    void recentSpeakersPutTheDominantFirstThenTheLatest() {
        Room room = new Room().speaks(A, 0, 2000, SPEECH).speaks(B, 3000, 3400, SPEECH)
                .speaks(C, 4000, 4400, SPEECH).speaks(D, 0, 6000, NOISE);
        assertEquals(A, room.runUntil(2000));
        assertArrayEquals(new int[] {A}, room.recent(8));
        room.runUntil(3600);
        assertArrayEquals(new int[] {A, B}, room.recent(8));
        room.runUntil(6000);
        assertArrayEquals(new int[] {A, C, B}, room.recent(8), "D only made noise");
        assertArrayEquals(new int[] {A, C}, room.recent(2));
        assertArrayEquals(new int[0], room.recent(0));
        int[] small = new int[1];
        assertEquals(1, room.detector.recentSpeakers(5, small));
        assertEquals(A, small[0]);
    }

    @Test
    void aRemovedParticipantIsForgottenAndItsIndexStartsClean() {
        Room room = new Room().speaks(A, 0, 2100, SPEECH).speaks(B, 0, 10_000, NOISE).speaks(C, 500, 700, SPEECH);
        assertEquals(A, room.runUntil(1800));
        room.runUntil(2080); // A's levels since the tick at 1800 ms wait in the ring
        room.detector.remove(A);
        assertEquals(-1, room.detector.dominant());
        assertArrayEquals(new int[] {C}, room.recent(8));

        room.speaks(A, 2100, 10_000, NOISE); // someone new at A's index, not speaking
        assertEquals(-1, room.runUntil(4000), "the newcomer did not inherit the old speech");
        assertArrayEquals(new int[] {C}, room.recent(8));

        room.speaks(B, 4000, 6000, 10); // on top of B's noise, so a bin's mean is about 50 -dBov
        assertEquals(B, room.runUntil(6000));
        room.detector.remove(C);
        assertArrayEquals(new int[] {B}, room.recent(8));
        room.detector.remove(-1);
        room.detector.remove(99);
    }

    /**
     * The threads as in the node: levels on one thread, ticks on this one. The simulated clock moves in
     * 20 ms steps, each step once the level thread has sent that step's levels (A speaks first, then B).
     */
    @Test
    void levelsOnOneThreadTicksOnAnother() throws Exception {
        SpeakerDetector detector = new SpeakerDetector(4);
        AtomicLong clock = new AtomicLong(T0);
        AtomicLong sent = new AtomicLong(T0 - 1);
        long end = T0 + 8000;
        Thread io = new Thread(() -> {
            long t;
            while ((t = clock.get()) < end) {
                if (t != sent.get()) {
                    detector.onLevel(A, t < T0 + 3000 ? SPEECH : SILENCE, t);
                    detector.onLevel(B, t < T0 + 3000 ? NOISE : SPEECH, t);
                    sent.set(t);
                }
                Thread.onSpinWait();
            }
        }, "levels");
        io.start();
        List<Integer> dominants = new ArrayList<>();
        for (long t = T0; t < end; t += 20) {
            while (sent.get() != t) {
                Thread.onSpinWait();
            }
            if ((t - T0) % 300 == 0) {
                detector.tick(t);
                if (dominants.isEmpty() || dominants.get(dominants.size() - 1) != detector.dominant()) {
                    dominants.add(detector.dominant());
                }
            }
            clock.set(t + 20);
        }
        clock.set(end);
        io.join();
        assertEquals(List.of(-1, A, B), dominants);
        assertEquals(0, detector.droppedLevels());
    }

    @Test
    void outOfRangeInputIsIgnored() {
        SpeakerDetector detector = new SpeakerDetector(2);
        for (int t = 0; t < 2000; t += 20) {
            detector.onLevel(2, SPEECH, t);
            detector.onLevel(-1, SPEECH, t);
            detector.onLevel(0, 128, t);
            detector.onLevel(1, -1, t);
        }
        detector.tick(2000);
        assertEquals(-1, detector.dominant());
        assertEquals(0, detector.droppedLevels());
    }

    @Test
    void aFullRingDropsAndCountsInsteadOfBlocking() {
        SpeakerDetector detector = new SpeakerDetector(1);
        int offered = 100_000;
        for (int i = 0; i < offered; i++) {
            detector.onLevel(0, SPEECH, i / 50);
        }
        assertTrue(detector.droppedLevels() > 0 && detector.droppedLevels() < offered);
        detector.tick(offered / 50);
        long dropped = detector.droppedLevels();
        detector.onLevel(0, SPEECH, offered / 50);
        assertEquals(dropped, detector.droppedLevels(), "room again after a tick");
    }

    @Test
    void onLevelAndTickAllocateNothing() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeTrue(threads.isThreadAllocatedMemorySupported());
        threads.setThreadAllocatedMemoryEnabled(true);
        SpeakerDetector detector = new SpeakerDetector(128);
        int[] out = new int[128];
        simulate(detector, out, 0, 20_000); // warm-up, so the measured loop runs compiled code
        long before = threads.getCurrentThreadAllocatedBytes();
        long sink = simulate(detector, out, 20_000, 40_000);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated < 16 * 1024, "20 s of 128 participants allocated " + allocated + " bytes");
        assertTrue(sink != 0);
    }

    /** 128 participants, one speaking at a time in turns of 3 s, the others at noise level. */
    private static long simulate(SpeakerDetector detector, int[] out, long from, long to) {
        long sink = 0;
        for (long t = from; t < to; t += 20) {
            int speaker = (int) (t / 3000) % 128;
            for (int p = 0; p < 128; p++) {
                detector.onLevel(p, p == speaker ? SPEECH : NOISE, t);
            }
            if (t % 300 == 0) {
                detector.tick(t);
                sink += detector.dominant() + detector.recentSpeakers(4, out);
            }
        }
        return sink;
    }

}
