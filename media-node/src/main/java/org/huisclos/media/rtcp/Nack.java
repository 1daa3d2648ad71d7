package org.huisclos.media.rtcp;

import static org.huisclos.media.bytes.Bytes.put16;
import static org.huisclos.media.bytes.Bytes.u16;

import java.util.function.IntConsumer;

/**
 * Generic NACK (RFC 4585 §6.2.1): FCI entries of PID (a lost sequence number) and BLP, a bitmask whose
 * bit i (least significant first) means PID + i + 1 is lost too.
 */
public final class Nack {
    public static final int FCI_LENGTH = 4;

    private Nack() {
    }

    /** Number of PID/BLP entries in a NACK of {@code len} bytes. */
    public static int entryCount(int len) {
        return len < RtcpPacket.FEEDBACK_HEADER_LENGTH ? 0 : (len - RtcpPacket.FEEDBACK_HEADER_LENGTH) / FCI_LENGTH;
    }

    public static int pid(byte[] buf, int off, int entry) {
        return u16(buf, off + RtcpPacket.FEEDBACK_HEADER_LENGTH + FCI_LENGTH * entry);
    }

    public static int blp(byte[] buf, int off, int entry) {
        return u16(buf, off + RtcpPacket.FEEDBACK_HEADER_LENGTH + FCI_LENGTH * entry + 2);
    }

    /** Calls {@code sink} with every sequence number the NACK reports lost; returns how many. */
    public static int forEachLostSeq(byte[] buf, int off, int len, IntConsumer sink) {
        int n = 0;
        int entries = entryCount(len);
        for (int e = 0; e < entries; e++) {
            int pid = pid(buf, off, e);
            int blp = blp(buf, off, e);
            sink.accept(pid);
            n++;
            for (int bit = 0; bit < 16; bit++) {
                if ((blp & (1 << bit)) != 0) {
                    sink.accept((pid + bit + 1) & 0xFFFF);
                    n++;
                }
            }
        }
        return n;
    }

    /**
     * Writes the lost sequence numbers into {@code out} in packet order, stopping when it is full;
     * returns how many were written. A NACK names at most 17 per entry.
     */
    public static int lostSequenceNumbers(byte[] buf, int off, int len, int[] out) {
        int n = 0;
        int entries = entryCount(len);
        for (int e = 0; e < entries && n < out.length; e++) {
            int pid = pid(buf, off, e);
            int blp = blp(buf, off, e);
            out[n++] = pid;
            for (int bit = 0; bit < 16 && n < out.length; bit++) {
                if ((blp & (1 << bit)) != 0) {
                    out[n++] = (pid + bit + 1) & 0xFFFF;
                }
            }
        }
        return n;
    }

    /** Upper bound of {@link #write}'s length for {@code count} sequence numbers. */
    public static int maxLength(int count) {
        return RtcpPacket.FEEDBACK_HEADER_LENGTH + FCI_LENGTH * count;
    }

    /**
     * Writes a NACK for {@code seqs[0..count)}, which should be in ascending (wrap-aware) order so each
     * entry covers up to 17 of them: a seq within 16 after the current PID sets a BLP bit, any other
     * starts a new entry. Unsorted input still yields a correct, only longer, NACK. Returns the length;
     * {@code out} needs {@link #maxLength} bytes.
     */
    public static int write(byte[] out, int off, int senderSsrc, int mediaSsrc, int[] seqs, int count) {
        if (count <= 0) {
            throw new IllegalArgumentException("a NACK needs at least one sequence number");
        }
        int fci = off + RtcpPacket.FEEDBACK_HEADER_LENGTH;
        int pid = seqs[0] & 0xFFFF;
        int blp = 0;
        for (int i = 1; i < count; i++) {
            int seq = seqs[i] & 0xFFFF;
            int distance = (seq - pid) & 0xFFFF;
            if (distance == 0) {
                continue;
            }
            if (distance <= 16) {
                blp |= 1 << (distance - 1);
            } else {
                fci = putEntry(out, fci, pid, blp);
                pid = seq;
                blp = 0;
            }
        }
        fci = putEntry(out, fci, pid, blp);
        int len = fci - off;
        RtcpPacket.writeFeedbackHeader(out, off, RtcpPacket.FMT_NACK, RtcpPacket.RTPFB, len, senderSsrc, mediaSsrc);
        return len;
    }

    private static int putEntry(byte[] out, int at, int pid, int blp) {
        put16(out, at, pid);
        put16(out, at + 2, blp);
        return at + FCI_LENGTH;
    }
}
