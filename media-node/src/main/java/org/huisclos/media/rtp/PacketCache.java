package org.huisclos.media.rtp;

import java.util.Arrays;

/**
 * Per-stream store of recently sent plaintext RTP packets, answering NACKs with RTX (RFC 4588).
 *
 * <p>Slot {@code seq & (capacity - 1)} holds the packet with that sequence number. All memory is taken
 * once in the constructor. Sequence numbers are unwrapped against the newest stored packet so that a
 * slot reused after 65536 packets is not mistaken for the old one, and a late packet never overwrites
 * a newer one. Not thread-safe: one stream, one thread (the media node's I/O thread stores and
 * copies; {@link #owner()} counts any use from another thread).
 */
public final class PacketCache {
    public static final int DEFAULT_CAPACITY = 512;
    public static final int DEFAULT_SLOT_SIZE = 1500;

    private static final long EMPTY = Long.MIN_VALUE;

    private final int capacity;
    private final int mask;
    private final int slotSize;
    private final byte[] data;
    private final int[] lengths;
    private final long[] extendedSeqs;
    private long newest = EMPTY;
    private final ThreadOwner owner = new ThreadOwner();

    public PacketCache() {
        this(DEFAULT_CAPACITY, DEFAULT_SLOT_SIZE);
    }

    /** @param capacity a power of two no larger than 32768, so a slot index never spans a seq wrap */
    public PacketCache(int capacity, int slotSize) {
        if (capacity <= 0 || Integer.bitCount(capacity) != 1 || capacity > 32768) {
            throw new IllegalArgumentException("capacity must be a power of two <= 32768: " + capacity);
        }
        if (slotSize < RtpPacket.FIXED_HEADER_LENGTH) {
            throw new IllegalArgumentException("slot too small: " + slotSize);
        }
        this.capacity = capacity;
        this.mask = capacity - 1;
        this.slotSize = slotSize;
        this.data = new byte[Math.multiplyExact(capacity, slotSize)];
        this.lengths = new int[capacity];
        this.extendedSeqs = new long[capacity];
        clear();
    }

    /** Who stores and copies here: {@link ThreadOwner#foreignUses()} is 0 while one thread does. */
    public ThreadOwner owner() {
        return owner;
    }

    public int capacity() {
        return capacity;
    }

    public int slotSize() {
        return slotSize;
    }

    /** Forgets every packet, e.g. when the stream's SSRC changes. */
    public void clear() {
        Arrays.fill(extendedSeqs, EMPTY);
        Arrays.fill(lengths, 0);
        newest = EMPTY;
    }

    /**
     * Copies the packet into the slot of its own sequence number. Returns false, storing nothing, for
     * an invalid packet, one longer than a slot, or one already older than the cache window.
     */
    public boolean store(byte[] buf, int off, int len) {
        owner.check();
        if (len > slotSize || !RtpPacket.isValid(buf, off, len)) {
            return false;
        }
        int seq = RtpPacket.sequenceNumber(buf, off);
        long ext;
        if (newest == EMPTY) {
            ext = seq;
            newest = ext;
        } else {
            ext = unwrap(seq);
            if (newest - ext >= capacity) {
                return false;
            }
            if (ext > newest) {
                newest = ext;
            }
        }
        int slot = (int) (ext & mask);
        System.arraycopy(buf, off, data, slot * slotSize, len);
        lengths[slot] = len;
        extendedSeqs[slot] = ext;
        return true;
    }

    /**
     * Copies the packet with sequence number {@code seq} to {@code out} at {@code outOff} (room for
     * {@link #slotSize()} bytes is enough) and returns its length, or -1 if it was never stored, has
     * been overwritten, or is older than the window.
     */
    public int copy(int seq, byte[] out, int outOff) {
        owner.check();
        if (newest == EMPTY) {
            return -1;
        }
        long ext = unwrap(seq & 0xFFFF);
        int slot = (int) (ext & mask);
        if (extendedSeqs[slot] != ext) {
            return -1;
        }
        int len = lengths[slot];
        System.arraycopy(data, slot * slotSize, out, outOff, len);
        return len;
    }

    /** Whether {@link #copy} would find {@code seq}. */
    public boolean contains(int seq) {
        if (newest == EMPTY) {
            return false;
        }
        long ext = unwrap(seq & 0xFFFF);
        return extendedSeqs[(int) (ext & mask)] == ext;
    }

    /** The 16-bit seq placed in the 65536-cycle closest to the newest stored packet. */
    private long unwrap(int seq) {
        int delta = (short) (seq - (int) (newest & 0xFFFF));
        return newest + delta;
    }
}
