package org.huisclos.media.rtcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.huisclos.media.fuzz.FuzzStats;
import org.junit.jupiter.api.AfterAll;

/**
 * Jazzer target: transport-wide feedback as a subscriber's browser sends it. Parsing stays inside the
 * packet and never throws; what it accepts has a sane status count, and writing it again gives back the
 * same statuses and arrival times (modulo the 24-bit reference time).
 */
class TransportFeedbackFuzzTargetTest {
    private static final int OFF = 3;
    private static final long REFERENCE_WRAP_MICROS = (1L << 24) * TransportFeedback.REFERENCE_TIME_MICROS;
    private static final TransportFeedback.Result FIRST = new TransportFeedback.Result();
    private static final TransportFeedback.Result AGAIN = new TransportFeedback.Result();
    private static final TransportFeedback.Writer WRITER = new TransportFeedback.Writer();
    private static final long[] ARRIVALS = new long[TransportFeedback.MAX_STATUS_COUNT];
    private static final byte[] OUT = new byte[TransportFeedback.maxLength(TransportFeedback.MAX_STATUS_COUNT)];
    private static long executions;

    @FuzzTest
    void parse(byte[] data) {
        executions++;
        byte[] buf = new byte[OFF + data.length + 5];
        System.arraycopy(data, 0, buf, OFF, data.length);
        if (!TransportFeedback.parse(buf, OFF, data.length, FIRST)) {
            assertEquals(0, FIRST.statusCount());
            return;
        }
        int count = FIRST.statusCount();
        assertTrue(count >= 1 && count <= TransportFeedback.MAX_STATUS_COUNT);
        assertTrue(FIRST.receivedCount() <= count);
        assertTrue(TransportFeedback.FIXED_LENGTH + 2 + FIRST.receivedCount() <= data.length, "deltas inside");
        for (int i = 0; i < count; i++) {
            ARRIVALS[i] = FIRST.arrivalMicros(i);
        }
        int len = WRITER.write(OUT, 0, FIRST.senderSsrc(), FIRST.mediaSsrc(), FIRST.baseSequenceNumber(),
                ARRIVALS, count, FIRST.feedbackPacketCount());
        assertTrue(TransportFeedback.parse(OUT, 0, len, AGAIN), "what was parsed can be written again");
        assertEquals(count, AGAIN.statusCount());
        for (int i = 0; i < count; i++) {
            assertEquals(FIRST.received(i), AGAIN.received(i));
            if (FIRST.received(i)) {
                long difference = AGAIN.arrivalMicros(i) - FIRST.arrivalMicros(i);
                assertEquals(0, Math.floorMod(difference, REFERENCE_WRAP_MICROS), "arrival of packet " + i);
            }
        }
    }

    @AfterAll
    static void report() throws Exception {
        FuzzStats.write(TransportFeedbackFuzzTargetTest.class, executions);
    }
}
