package org.huisclos.media.rtcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Transport-wide feedback (draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1): the chunk examples
 * of §3.1.3 and §3.1.4 by hand, large and negative deltas, sequence numbers across 65535, malformed
 * packets, and parse(write(x)) == x for random reports.
 */
class TransportFeedbackTest {
    private static final long NR = TransportFeedback.NOT_RECEIVED;
    private final TransportFeedback.Result result = new TransportFeedback.Result();
    private final TransportFeedback.Writer writer = new TransportFeedback.Writer();

    /** A feedback packet with 2 bytes of offset in front, the length field and padding filled in. */
    private static byte[] packet(int baseSeq, int count, int referenceTime, int fbCount, int... body) {
        int len = (TransportFeedback.FIXED_LENGTH + body.length + 3) & ~3;
        byte[] buf = new byte[2 + len];
        RtcpPacket.writeFeedbackHeader(buf, 2, TransportFeedback.FMT, RtcpPacket.RTPFB, len, 0x11223344, 0x55667788);
        buf[2 + 12] = (byte) (baseSeq >>> 8);
        buf[2 + 13] = (byte) baseSeq;
        buf[2 + 14] = (byte) (count >>> 8);
        buf[2 + 15] = (byte) count;
        buf[2 + 16] = (byte) (referenceTime >>> 16);
        buf[2 + 17] = (byte) (referenceTime >>> 8);
        buf[2 + 18] = (byte) referenceTime;
        buf[2 + 19] = (byte) fbCount;
        for (int i = 0; i < body.length; i++) {
            buf[2 + TransportFeedback.FIXED_LENGTH + i] = (byte) body[i];
        }
        return buf;
    }

    private boolean parse(byte[] buf) {
        return TransportFeedback.parse(buf, 2, buf.length - 2, result);
    }

    /** §3.1.3 example 1: 0|00|0000011011101, a run of 221 "packet not received". */
    @Test
    void draft01Section313RunLengthExampleIs221NotReceived() {
        assertTrue(parse(packet(100, 221, 1, 7, 0x00, 0xDD)));
        assertEquals(221, result.statusCount());
        assertEquals(0, result.receivedCount());
        assertEquals(100, result.baseSequenceNumber());
        assertEquals(7, result.feedbackPacketCount());
        assertEquals(0x11223344, result.senderSsrc());
        assertEquals(0x55667788, result.mediaSsrc());
        for (int i = 0; i < 221; i++) {
            assertFalse(result.received(i));
            assertEquals(100 + i, result.sequenceNumber(i));
        }
    }

    /**
     * §3.1.3 example 2 (0|11|0000000011000, "received w/o recv delta" × 24) and §3.1.4 example 2
     * (1|1|00 11 01 01 01 00 00) predate -01, where 11 became reserved (§3.1.1): both are refused.
     */
    @Test
    void draft01Section313And314ExamplesWithTheReservedSymbolAreRefused() {
        assertFalse(parse(packet(0, 24, 0, 0, 0x60, 0x18)));
        assertFalse(parse(packet(0, 7, 0, 0, 0xCD, 0x50, 1, 1, 1)));
        assertEquals(0, result.statusCount());
    }

    /** §3.1.4 example 1: 1|0|0 1 1 1 1 1 0 0 0 1 1 1 0 0, with a small delta for each received packet. */
    @Test
    void draft01Section314OneBitVectorExample() {
        assertTrue(parse(packet(65534, 14, 2, 0, 0x9F, 0x1C, 4, 4, 4, 4, 4, 8, 0, 255)));
        boolean[] expected = {false, true, true, true, true, true, false, false, false, true, true, true, false, false};
        long arrival = 2 * 64_000;
        long[] arrivals = {1000, 1000, 1000, 1000, 1000, 2000, 0, 63_750};
        int r = 0;
        for (int i = 0; i < 14; i++) {
            assertEquals(expected[i], result.received(i), "status " + i);
            assertEquals((65534 + i) & 0xFFFF, result.sequenceNumber(i));
            if (expected[i]) {
                arrival += arrivals[r++];
                assertEquals(arrival, result.arrivalMicros(i), "arrival " + i);
            }
        }
        assertEquals(8, result.receivedCount());
    }

    /** §3.1.4 example 2 with 10 (large delta) where the draft shows the now reserved 11. */
    @Test
    void draft01Section314TwoBitVectorExampleWithALargeDelta() {
        assertTrue(parse(packet(10, 7, 0, 0, 0xC9, 0x50, 0x01, 0x00, 4, 4, 4)));
        boolean[] expected = {false, true, true, true, true, false, false};
        for (int i = 0; i < 7; i++) {
            assertEquals(expected[i], result.received(i), "status " + i);
        }
        assertEquals(64_000, result.arrivalMicros(1), "256 × 250 µs as a 16-bit delta");
        assertEquals(67_000, result.arrivalMicros(4));
    }

    /** A packet that arrived 2 ms before the one ahead of it, and a negative reference time. */
    @Test
    void largeNegativeDelta() {
        assertTrue(parse(packet(500, 2, 0xFFFFFF, 0, 0xD8, 0x00, 0x04, 0xFF, 0xF8)));
        assertEquals(-1, result.referenceTime());
        assertEquals(-64_000 + 1000, result.arrivalMicros(0));
        assertEquals(-64_000 - 1000, result.arrivalMicros(1));
    }

    @Test
    void sequenceNumbersWrapAround() {
        long[] arrivals = new long[20];
        for (int i = 0; i < 20; i++) {
            arrivals[i] = i % 5 == 3 ? NR : 1_000_000 + 1000L * i;
        }
        byte[] buf = new byte[TransportFeedback.maxLength(20)];
        int len = writer.write(buf, 0, 1, 2, 65530, arrivals, 20, 9);
        assertTrue(TransportFeedback.parse(buf, 0, len, result));
        assertEquals(20, result.statusCount());
        for (int i = 0; i < 20; i++) {
            assertEquals((65530 + i) & 0xFFFF, result.sequenceNumber(i));
            assertEquals(arrivals[i], result.arrivalMicros(i), "seq " + result.sequenceNumber(i));
        }
        assertEquals(0, result.sequenceNumber(6));
        assertEquals(13, result.sequenceNumber(19));
    }

    @Test
    void everyTruncationOfAValidPacketIsRefused() {
        long[] arrivals = {5_000, NR, 5_250, 90_000, 80_000, NR, NR, 80_250, 80_500, 80_750, 81_000};
        byte[] buf = new byte[TransportFeedback.maxLength(arrivals.length)];
        int len = writer.write(buf, 0, 1, 2, 7, arrivals, arrivals.length, 0);
        assertTrue(TransportFeedback.parse(buf, 0, len, result));
        for (int prefix = 0; prefix < len; prefix++) {
            assertFalse(TransportFeedback.parse(buf, 0, prefix, result), "prefix of " + prefix + " bytes");
        }
        for (int cut = TransportFeedback.FIXED_LENGTH; cut < len; cut += 4) {
            byte[] shorter = Arrays.copyOf(buf, cut);
            RtcpPacket.writeHeader(shorter, 0, TransportFeedback.FMT, RtcpPacket.RTPFB, cut);
            assertFalse(TransportFeedback.parse(shorter, 0, cut, result), "length field says " + cut + " bytes");
            assertEquals(0, result.statusCount());
        }
    }

    @Test
    void malformedPacketsAreRefused() {
        assertFalse(parse(packet(0, 0, 0, 0, 0x20, 0x01, 4)), "status count 0");
        assertFalse(parse(packet(0, TransportFeedback.MAX_STATUS_COUNT + 1, 0, 0, 0x1F, 0xFF)), "too many statuses");
        assertFalse(parse(packet(0, 2, 0, 0, 0xDC, 0x00, 4, 4)), "reserved 2-bit symbol");
        assertFalse(parse(packet(0, 3, 0, 0, 0x20, 0x03, 4, 4)), "run of 3 small deltas with 2 deltas");
        assertFalse(parse(packet(0, 15, 0, 0, 0x80, 0x00)), "15 statuses, one chunk of 14");
        byte[] ok = packet(0, 1, 0, 0, 0x20, 0x01, 4);
        assertTrue(parse(ok));
        assertFalse(TransportFeedback.parse(ok, 2, ok.length - 1, result), "length field past the end");
        assertFalse(TransportFeedback.parse(ok, 3, ok.length - 2, result), "outside the buffer");
        assertFalse(TransportFeedback.parse(ok, -1, 10, result), "negative offset");
        byte[] padded = ok.clone();
        padded[2] |= 0x20;
        padded[padded.length - 1] = 0;
        assertFalse(parse(padded), "padding of 0 bytes");
        padded[padded.length - 1] = 2;
        assertFalse(parse(padded), "padding that eats the delta");
        byte[] nack = ok.clone();
        nack[2] = (byte) 0x81;
        assertFalse(parse(nack), "FMT 1 is a NACK");
        byte[] v1 = ok.clone();
        v1[2] = (byte) 0x4F;
        assertFalse(parse(v1), "version 1");
    }

    @Test
    void paddingIsSkipped() {
        byte[] buf = packet(0, 1, 0, 0, 0x20, 0x01, 4, 0, 0, 0, 0, 4);
        buf[2] |= 0x20;
        assertTrue(parse(buf));
        assertEquals(1000, result.arrivalMicros(0));
    }

    @Test
    void longRunsBecomeRunLengthChunks() {
        long[] arrivals = new long[2000];
        for (int i = 0; i < arrivals.length; i++) {
            arrivals[i] = i < 1000 ? 1000L * i : NR;
        }
        byte[] buf = new byte[TransportFeedback.maxLength(arrivals.length)];
        int len = writer.write(buf, 0, 1, 2, 0, arrivals, arrivals.length, 0);
        assertEquals(20 + 2 + 2 + 1000, len, "two runs and 1000 small deltas");
        assertTrue(TransportFeedback.parse(buf, 0, len, result));
        assertEquals(1000, result.receivedCount());
    }

    @Test
    void arrivalsTooFarApartForOnePacketAreRefusedByTheWriter() {
        long[] arrivals = {0, 8_200_000};
        assertThrows(IllegalArgumentException.class,
                () -> writer.write(new byte[64], 0, 1, 2, 0, arrivals, 2, 0));
        assertThrows(IllegalArgumentException.class,
                () -> writer.write(new byte[64], 0, 1, 2, 0, arrivals, 0, 0));
    }

    /** parse(write(x)) == x within the 250 µs quantisation, for 3000 seeded random reports. */
    @Test
    void writeThenParseGivesBackTheReport() {
        Random random = new Random(20261203);
        byte[] buf = new byte[TransportFeedback.maxLength(TransportFeedback.MAX_STATUS_COUNT) + 8];
        long[] arrivals = new long[TransportFeedback.MAX_STATUS_COUNT];
        for (int round = 0; round < 3000; round++) {
            int count = 1 + random.nextInt(random.nextInt(10) == 0 ? TransportFeedback.MAX_STATUS_COUNT : 100);
            int base = random.nextInt(65536);
            double loss = random.nextInt(4) == 0 ? random.nextDouble() : 0.02;
            long t = (long) ((random.nextDouble() - 0.5) * 1e11);
            for (int i = 0; i < count; i++) {
                if (random.nextDouble() < loss) {
                    arrivals[i] = NR;
                    continue;
                }
                int kind = random.nextInt(100);
                t += kind < 80 ? random.nextInt(64_000)
                        : kind < 95 ? -random.nextInt(5_000_000) : random.nextInt(8_000_000);
                arrivals[i] = t;
            }
            int off = random.nextInt(8);
            int fbCount = random.nextInt(256);
            int len = writer.write(buf, off, 1, 2, base, arrivals, count, fbCount);
            String what = "round " + round + ", " + count + " packets from " + base;
            assertTrue(len % 4 == 0 && len <= TransportFeedback.maxLength(count), what + ": length " + len);
            assertTrue(TransportFeedback.parse(buf, off, len, result), what);
            assertEquals(count, result.statusCount(), what);
            assertEquals(base, result.baseSequenceNumber(), what);
            assertEquals(fbCount, result.feedbackPacketCount(), what);
            for (int i = 0; i < count; i++) {
                assertEquals(arrivals[i] != NR, result.received(i), what + ", packet " + i);
                if (arrivals[i] != NR) {
                    long error = result.arrivalMicros(i) - arrivals[i];
                    assertTrue(Math.abs(error) <= 125, what + ", packet " + i + " off by " + error + " µs");
                }
            }
        }
    }
}
