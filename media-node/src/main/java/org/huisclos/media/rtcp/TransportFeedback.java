package org.huisclos.media.rtcp;

import static org.huisclos.media.bytes.Bytes.put16;
import static org.huisclos.media.bytes.Bytes.put24;
import static org.huisclos.media.bytes.Bytes.put8;
import static org.huisclos.media.bytes.Bytes.u16;
import static org.huisclos.media.bytes.Bytes.u24;
import static org.huisclos.media.bytes.Bytes.u8;

/**
 * Transport-wide congestion control feedback (draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1):
 * an RTPFB message, FMT 15, that tells the sender when each packet of a range of transport-wide
 * sequence numbers arrived, or that it did not.
 *
 * <pre>
 *   feedback header (12) | base seq (16) | status count (16) | reference time (24) | fb count (8)
 *   packet chunks, 16 bits each | receive deltas, 8 or 16 bits each | zero padding to 32 bits
 * </pre>
 *
 * Each packet has a 2-bit status symbol: 00 not received, 01 received with a small delta (8 bits,
 * unsigned), 10 received with a large or negative delta (16 bits, signed), 11 reserved. Chunks carry
 * the symbols either as a run (T=0: symbol, 13-bit length) or as a vector (T=1: fourteen 1-bit symbols,
 * 0 or 1, or seven 2-bit ones). Deltas are in 250 µs; the first is relative to the reference time
 * (24-bit signed, in 64 ms), each next one to the previous received packet.
 *
 * <p>{@link #parse} fills a caller-owned {@link Result} without allocating; {@link Writer#write} builds
 * a packet, for the load generator (which plays the subscriber) and for tests.
 */
public final class TransportFeedback {
    public static final int FMT = 15;
    /** Feedback header, base sequence number, status count, reference time and feedback count. */
    public static final int FIXED_LENGTH = 20;
    /**
     * The most packet statuses one feedback may carry here; one announcing more is refused. A browser
     * reports every 50 to 100 ms, so 2048 is over 20,000 packets a second.
     */
    public static final int MAX_STATUS_COUNT = 2048;
    /** An arrival time that says the packet was not received. */
    public static final long NOT_RECEIVED = Long.MIN_VALUE;
    public static final long DELTA_MICROS = 250;
    public static final long REFERENCE_TIME_MICROS = 64_000;

    static final int NOT_RECEIVED_SYMBOL = 0;
    static final int SMALL_DELTA_SYMBOL = 1;
    static final int LARGE_DELTA_SYMBOL = 2;
    private static final int RESERVED_SYMBOL = 3;
    private static final int MAX_RUN_LENGTH = 0x1FFF;

    private TransportFeedback() {
    }

    public static boolean isTransportFeedback(byte[] buf, int off) {
        return RtcpPacket.packetType(buf, off) == RtcpPacket.RTPFB && RtcpPacket.count(buf, off) == FMT;
    }

    /** One parsed feedback packet; reuse one per reader, it has room for {@link #MAX_STATUS_COUNT} statuses. */
    public static final class Result {
        final long[] arrivalMicros = new long[MAX_STATUS_COUNT];
        final byte[] symbols = new byte[MAX_STATUS_COUNT];
        int senderSsrc;
        int mediaSsrc;
        int baseSequenceNumber;
        int statusCount;
        int referenceTime;
        int feedbackPacketCount;
        int receivedCount;

        public int senderSsrc() {
            return senderSsrc;
        }

        public int mediaSsrc() {
            return mediaSsrc;
        }

        public int baseSequenceNumber() {
            return baseSequenceNumber;
        }

        /** Number of packets reported, received or not. */
        public int statusCount() {
            return statusCount;
        }

        public int receivedCount() {
            return receivedCount;
        }

        /** The reference time field, signed, in units of 64 ms. */
        public int referenceTime() {
            return referenceTime;
        }

        /** Counts feedback packets (8 bits, wrapping), so the sender can tell one was lost. */
        public int feedbackPacketCount() {
            return feedbackPacketCount;
        }

        /** The transport-wide sequence number of the {@code i}-th packet reported. */
        public int sequenceNumber(int i) {
            return (baseSequenceNumber + i) & 0xFFFF;
        }

        public boolean received(int i) {
            return arrivalMicros[i] != NOT_RECEIVED;
        }

        /**
         * Arrival time in microseconds on the receiver's clock (reference time plus the deltas so far),
         * or {@link TransportFeedback#NOT_RECEIVED}.
         */
        public long arrivalMicros(int i) {
            return arrivalMicros[i];
        }
    }

    /**
     * Reads one transport feedback packet at {@code (buf, off, len)}, as {@link RtcpIterator} hands it
     * out. False for anything else or anything malformed: a status count of 0 or over
     * {@link #MAX_STATUS_COUNT}, chunks or deltas past the end, a reserved symbol, bad padding. Then
     * {@code out} holds no statuses. Never reads outside {@code (off, len)}.
     */
    public static boolean parse(byte[] buf, int off, int len, Result out) {
        out.statusCount = 0;
        out.receivedCount = 0;
        if (buf == null || off < 0 || len < FIXED_LENGTH || off > buf.length - len
                || RtcpPacket.version(buf, off) != 2 || !isTransportFeedback(buf, off)
                || RtcpPacket.lengthInBytes(buf, off) > len) {
            return false;
        }
        int end = off + RtcpPacket.lengthInBytes(buf, off);
        if (RtcpPacket.hasPadding(buf, off)) {
            int padding = u8(buf, end - 1);
            if (padding == 0 || padding > end - off - FIXED_LENGTH) {
                return false;
            }
            end -= padding;
        }
        int count = u16(buf, off + 14);
        if (count == 0 || count > MAX_STATUS_COUNT) {
            return false;
        }
        int pos = readChunks(buf, off + FIXED_LENGTH, end, count, out.symbols);
        if (pos < 0) {
            return false;
        }
        int referenceTime = (u24(buf, off + 16) << 8) >> 8;
        long arrival = referenceTime * REFERENCE_TIME_MICROS;
        int received = 0;
        for (int i = 0; i < count; i++) {
            int symbol = out.symbols[i];
            if (symbol == NOT_RECEIVED_SYMBOL) {
                out.arrivalMicros[i] = NOT_RECEIVED;
                continue;
            }
            int size = symbol == SMALL_DELTA_SYMBOL ? 1 : 2;
            if (end - pos < size) {
                return false;
            }
            arrival += DELTA_MICROS * (size == 1 ? u8(buf, pos) : (short) u16(buf, pos));
            out.arrivalMicros[i] = arrival;
            pos += size;
            received++;
        }
        out.senderSsrc = RtcpPacket.senderSsrc(buf, off);
        out.mediaSsrc = RtcpPacket.mediaSsrc(buf, off);
        out.baseSequenceNumber = u16(buf, off + 12);
        out.referenceTime = referenceTime;
        out.feedbackPacketCount = u8(buf, off + 19);
        out.receivedCount = received;
        out.statusCount = count;
        return true;
    }

    /**
     * Decodes chunks from {@code pos} until {@code count} symbols are known; returns where the deltas
     * start, or -1 when the chunks run past {@code end} or use the reserved symbol. Symbols a vector
     * holds beyond {@code count} are padding and ignored; a run longer than what is left is cut.
     */
    private static int readChunks(byte[] buf, int pos, int end, int count, byte[] symbols) {
        int n = 0;
        while (n < count) {
            if (end - pos < 2) {
                return -1;
            }
            int chunk = u16(buf, pos);
            pos += 2;
            if ((chunk & 0x8000) == 0) {
                int symbol = (chunk >>> 13) & 3;
                if (symbol == RESERVED_SYMBOL) {
                    return -1;
                }
                int run = Math.min(chunk & MAX_RUN_LENGTH, count - n);
                for (int i = 0; i < run; i++) {
                    symbols[n++] = (byte) symbol;
                }
            } else if ((chunk & 0x4000) == 0) {
                for (int bit = 13; bit >= 0 && n < count; bit--) {
                    symbols[n++] = (byte) ((chunk >>> bit) & 1);
                }
            } else {
                for (int shift = 12; shift >= 0 && n < count; shift -= 2) {
                    int symbol = (chunk >>> shift) & 3;
                    if (symbol == RESERVED_SYMBOL) {
                        return -1;
                    }
                    symbols[n++] = (byte) symbol;
                }
            }
        }
        return pos;
    }

    /** Upper bound of {@link Writer#write}'s length for {@code count} packets. */
    public static int maxLength(int count) {
        return (FIXED_LENGTH + 2 * count + 2 * count + 3) & ~3;
    }

    /** Builds feedback packets; reuse one, it holds {@link #MAX_STATUS_COUNT} symbols of scratch. */
    public static final class Writer {
        private final byte[] symbols = new byte[MAX_STATUS_COUNT];

        /**
         * Writes a feedback packet for the {@code count} packets from {@code baseSeq} on, whose arrival
         * times (receiver clock, µs) are {@code arrivalMicros[0..count)},
         * {@link TransportFeedback#NOT_RECEIVED} for a packet that did not arrive. The reference time is
         * the first arrival rounded down to 64 ms, written modulo 2^24; deltas are rounded to 250 µs
         * against the reference, so the error does not add up. Runs of one status at least as long as a
         * vector would cover become run-length chunks, the rest status vectors (1-bit when no large delta
         * is among them). Returns the length, a multiple of 4; {@code out} needs
         * {@link TransportFeedback#maxLength} bytes. Throws when {@code count} is outside 1 to
         * {@link TransportFeedback#MAX_STATUS_COUNT} or two consecutive arrivals are further apart than a
         * 16-bit delta (-8192 to 8191.75 ms) can say.
         */
        public int write(byte[] out, int off, int senderSsrc, int mediaSsrc, int baseSeq,
                         long[] arrivalMicros, int count, int feedbackPacketCount) {
            if (count < 1 || count > MAX_STATUS_COUNT) {
                throw new IllegalArgumentException(
                        "transport feedback for " + count + " packets (1 to " + MAX_STATUS_COUNT + ")");
            }
            long referenceTime = 0;
            for (int i = 0; i < count; i++) {
                if (arrivalMicros[i] != NOT_RECEIVED) {
                    referenceTime = Math.floorDiv(arrivalMicros[i], REFERENCE_TIME_MICROS);
                    break;
                }
            }
            long origin = referenceTime * REFERENCE_TIME_MICROS;
            long previous = 0;
            for (int i = 0; i < count; i++) {
                if (arrivalMicros[i] == NOT_RECEIVED) {
                    symbols[i] = NOT_RECEIVED_SYMBOL;
                    continue;
                }
                long ticks = ticks(arrivalMicros[i], origin);
                long delta = ticks - previous;
                previous = ticks;
                if (delta < Short.MIN_VALUE || delta > Short.MAX_VALUE) {
                    throw new IllegalArgumentException("arrival " + arrivalMicros[i] + " µs is " + delta * DELTA_MICROS
                            + " µs from the packet received before it: more than one feedback packet can say");
                }
                symbols[i] = (byte) (delta >= 0 && delta <= 0xFF ? SMALL_DELTA_SYMBOL : LARGE_DELTA_SYMBOL);
            }
            int pos = writeChunks(out, off + FIXED_LENGTH, count);
            previous = 0;
            for (int i = 0; i < count; i++) {
                if (symbols[i] == NOT_RECEIVED_SYMBOL) {
                    continue;
                }
                long ticks = ticks(arrivalMicros[i], origin);
                if (symbols[i] == SMALL_DELTA_SYMBOL) {
                    put8(out, pos++, (int) (ticks - previous));
                } else {
                    put16(out, pos, (int) (ticks - previous));
                    pos += 2;
                }
                previous = ticks;
            }
            while (((pos - off) & 3) != 0) {
                out[pos++] = 0;
            }
            int len = pos - off;
            RtcpPacket.writeFeedbackHeader(out, off, FMT, RtcpPacket.RTPFB, len, senderSsrc, mediaSsrc);
            put16(out, off + 12, baseSeq);
            put16(out, off + 14, count);
            put24(out, off + 16, (int) referenceTime);
            put8(out, off + 19, feedbackPacketCount);
            return len;
        }

        private static long ticks(long arrivalMicros, long origin) {
            return Math.floorDiv(arrivalMicros - origin + DELTA_MICROS / 2, DELTA_MICROS);
        }

        /** Greedy: each chunk covers as many of the symbols left as one chunk can. */
        private int writeChunks(byte[] out, int pos, int count) {
            int i = 0;
            while (i < count) {
                int symbol = symbols[i];
                int run = 1;
                while (i + run < count && symbols[i + run] == symbol && run < MAX_RUN_LENGTH) {
                    run++;
                }
                int oneBit = Math.min(14, count - i);
                boolean fitsOneBit = true;
                for (int k = i; k < i + oneBit; k++) {
                    fitsOneBit &= symbols[k] != LARGE_DELTA_SYMBOL;
                }
                int vector = fitsOneBit ? oneBit : Math.min(7, count - i);
                if (run >= vector) {
                    put16(out, pos, (symbol << 13) | run);
                    i += run;
                } else if (fitsOneBit) {
                    int chunk = 0x8000;
                    for (int k = 0; k < vector; k++) {
                        chunk |= symbols[i + k] << (13 - k);
                    }
                    put16(out, pos, chunk);
                    i += vector;
                } else {
                    int chunk = 0xC000;
                    for (int k = 0; k < vector; k++) {
                        chunk |= symbols[i + k] << (12 - 2 * k);
                    }
                    put16(out, pos, chunk);
                    i += vector;
                }
                pos += 2;
            }
            return pos;
        }
    }
}
