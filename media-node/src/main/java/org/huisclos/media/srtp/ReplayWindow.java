package org.huisclos.media.srtp;

/**
 * A 128-packet sliding replay window (RFC 3711 §3.3.2): the highest accepted index and a bitmap of which of
 * the 127 indices below it were accepted. {@link #check} never changes state; {@link #accept} runs only after
 * the packet authenticated, so forgeries cannot move the window.
 */
final class ReplayWindow {
    static final int SIZE = 128;

    /** Highest accepted index, or -1 before the first packet. */
    private long highest = -1;
    /** Bit d set: index highest - d was accepted; d in 0..63. */
    private long low;
    /** Bit d set: index highest - 64 - d was accepted. */
    private long high;

    long highest() {
        return highest;
    }

    /** True unless {@code index} was already accepted or lies behind the window. */
    boolean check(long index) {
        if (index > highest) {
            return true;
        }
        long d = highest - index;
        if (d >= SIZE) {
            return false;
        }
        long bit = d < 64 ? (low >>> d) : (high >>> (d - 64));
        return (bit & 1) == 0;
    }

    void accept(long index) {
        if (index > highest) {
            long shift = highest < 0 ? SIZE : index - highest;
            if (shift >= SIZE) {
                low = 0;
                high = 0;
            } else if (shift >= 64) {
                high = low << (shift - 64);
                low = 0;
            } else {
                high = (high << shift) | (low >>> (64 - shift));
                low <<= shift;
            }
            low |= 1;
            highest = index;
        } else {
            long d = highest - index;
            if (d < 64) {
                low |= 1L << d;
            } else {
                high |= 1L << (d - 64);
            }
        }
    }
}
