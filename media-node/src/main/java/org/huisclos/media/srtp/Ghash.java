package org.huisclos.media.srtp;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * GHASH of NIST SP 800-38D §6.4 over {@code long} arithmetic, without allocation after construction.
 *
 * <p>A block is two big-endian longs {@code (hi, lo)}: bit 0 of the spec (the leftmost, coefficient of x^0) is
 * the top bit of {@code hi}, bit 127 the bottom bit of {@code lo}. Multiplying by x is a right shift by one,
 * with R = 0xE1 || 0^120 added when a bit falls off the end (§6.3, Algorithm 1).
 *
 * <p>X · H uses one table per key, {@code M[b]} = (the block whose first byte is b, others zero) · H, 256
 * entries = 4 KiB, and Horner's rule over the 16 bytes from last to first: Z = Z · x^8 + M[byte]. Z · x^8 is
 * a shift by one byte whose spilled byte is folded back with a shared 256-entry table ({@link #REDUCE}).
 * Bigger tables (one per byte position, 64 KiB, no Horner step) were faster with one key in cache and three
 * times slower once many keys take turns, as many subscribers' keys do: see docs/benchmarks.md.
 */
final class Ghash {
    private static final VarHandle LONG_BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    /** R of SP 800-38D §6.3, as the high long. */
    private static final long R = 0xE100000000000000L;
    /** REDUCE[b]: what the byte b shifted off the low end by Z · x^8 adds to the high long. */
    private static final long[] REDUCE = new long[256];

    static {
        for (int b = 0; b < 256; b++) {
            long high = 0;
            long low = b;
            for (int k = 0; k < 8; k++) {
                long carry = low & 1;
                low = (low >>> 1) | (high << 63);
                high = (high >>> 1) ^ (-carry & R);
            }
            REDUCE[b] = high; // low is 0: R shifted seven more times still fits in the high long
        }
    }

    /** M[b] at index {@code 2b} (high long) and {@code 2b + 1} (low long). */
    private final long[] table = new long[256 * 2];
    private final byte[] partial = new byte[16];
    private int pending;
    private long hi;
    private long lo;

    Ghash(byte[] h) {
        long vh = (long) LONG_BE.get(h, 0);
        long vl = (long) LONG_BE.get(h, 8);
        // The single-bit bytes 0x80 >>> k are x^k: M = H · x^k.
        for (int bit = 0x80; bit != 0; bit >>>= 1) {
            table[bit << 1] = vh;
            table[(bit << 1) + 1] = vl;
            long carry = vl & 1;
            vl = (vl >>> 1) | (vh << 63);
            vh = (vh >>> 1) ^ (-carry & R);
        }
        // Multiplication distributes over XOR: M[a ^ b] = M[a] ^ M[b].
        for (int high = 2; high < 256; high <<= 1) {
            for (int low = 1; low < high; low++) {
                table[(high | low) << 1] = table[high << 1] ^ table[low << 1];
                table[((high | low) << 1) + 1] = table[(high << 1) + 1] ^ table[(low << 1) + 1];
            }
        }
    }

    void reset() {
        hi = 0;
        lo = 0;
        pending = 0;
    }

    /** Hashes {@code len} bytes; consecutive calls hash their concatenation until {@link #padBlock}. */
    void update(byte[] b, int off, int len) {
        int end = off + len;
        if (pending != 0) {
            while (pending < 16 && off < end) {
                partial[pending++] = b[off++];
            }
            if (pending < 16) {
                return;
            }
            pending = 0;
            block((long) LONG_BE.get(partial, 0), (long) LONG_BE.get(partial, 8));
        }
        for (; end - off >= 16; off += 16) {
            block((long) LONG_BE.get(b, off), (long) LONG_BE.get(b, off + 8));
        }
        while (off < end) {
            partial[pending++] = b[off++];
        }
    }

    /** Zero-pads a pending partial block and hashes it: AAD and ciphertext each end on a block boundary. */
    void padBlock() {
        if (pending != 0) {
            java.util.Arrays.fill(partial, pending, 16, (byte) 0);
            pending = 0;
            block((long) LONG_BE.get(partial, 0), (long) LONG_BE.get(partial, 8));
        }
    }

    /** Pads, hashes the block len(A) || len(C) in bits, and writes the 16-byte result to {@code out[off]}. */
    void finish(long aadBytes, long textBytes, byte[] out, int off) {
        padBlock();
        block(aadBytes << 3, textBytes << 3);
        LONG_BE.set(out, off, hi);
        LONG_BE.set(out, off + 8, lo);
    }

    /** Y = (Y xor X) · H. */
    private void block(long xh, long xl) {
        xh ^= hi;
        xl ^= lo;
        long[] m = table;
        int index = ((int) xl & 0xff) << 1; // byte 15
        long zh = m[index];
        long zl = m[index + 1];
        for (int shift = 8; shift < 64; shift += 8) { // bytes 14 to 8
            int spilled = (int) zl & 0xff;
            zl = (zl >>> 8) | (zh << 56);
            zh = (zh >>> 8) ^ REDUCE[spilled];
            index = ((int) (xl >>> shift) & 0xff) << 1;
            zh ^= m[index];
            zl ^= m[index + 1];
        }
        for (int shift = 0; shift < 64; shift += 8) { // bytes 7 to 0
            int spilled = (int) zl & 0xff;
            zl = (zl >>> 8) | (zh << 56);
            zh = (zh >>> 8) ^ REDUCE[spilled];
            index = ((int) (xh >>> shift) & 0xff) << 1;
            zh ^= m[index];
            zl ^= m[index + 1];
        }
        hi = zh;
        lo = zl;
    }
}
