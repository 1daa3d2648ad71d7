package org.huisclos.media.bwe;

import java.util.Arrays;

/**
 * The packets sent to one subscriber, by transport-wide sequence number: a ring of {@link #CAPACITY}
 * slots indexed by the unwrapped number, so feedback finds a packet's send time and size without a map.
 * At 5 Mbit/s of 1200-byte packets the ring holds about 15 s, far longer than feedback takes. A slot
 * is 15 bytes (the unwrapped number's low 32 bits, send time, size, state), 120 KiB per subscriber.
 */
final class SentPackets {
    static final int CAPACITY = 8192;
    private static final int MASK = CAPACITY - 1;
    static final byte SENT = 0;
    static final byte REPORTED_LOST = 1;
    static final byte ACKNOWLEDGED = 2;

    private final int[] sequence = new int[CAPACITY];
    private final long[] sendMicros = new long[CAPACITY];
    private final char[] size = new char[CAPACITY];
    private final byte[] state = new byte[CAPACITY];
    /** The highest unwrapped sequence number sent, -1 before the first packet. */
    private long highest = -1;

    SentPackets() {
        Arrays.fill(sequence, -1);
    }

    void onSent(int transportSeq, int sizeBytes, long sendTimeMicros) {
        long unwrapped = highest < 0 ? (1 << 16) + (transportSeq & 0xFFFF) : unwrap(transportSeq);
        if (unwrapped < 0) {
            return;
        }
        int slot = (int) (unwrapped & MASK);
        sequence[slot] = (int) unwrapped;
        sendMicros[slot] = sendTimeMicros;
        size[slot] = (char) Math.min(sizeBytes, Character.MAX_VALUE);
        state[slot] = SENT;
        highest = Math.max(highest, unwrapped);
    }

    /** The slot of the packet sent with this 16-bit number, or -1 if it is unknown or long gone. */
    int find(int transportSeq) {
        if (highest < 0) {
            return -1;
        }
        long unwrapped = unwrap(transportSeq);
        if (unwrapped < 0) {
            return -1;
        }
        int slot = (int) (unwrapped & MASK);
        return sequence[slot] == (int) unwrapped ? slot : -1;
    }

    /** The number nearest to the highest sent whose low 16 bits are {@code transportSeq}. */
    private long unwrap(int transportSeq) {
        return highest + (short) (transportSeq - (int) highest);
    }

    long sendMicros(int slot) {
        return sendMicros[slot];
    }

    int size(int slot) {
        return size[slot];
    }

    byte state(int slot) {
        return state[slot];
    }

    void setState(int slot, byte newState) {
        state[slot] = newState;
    }
}
