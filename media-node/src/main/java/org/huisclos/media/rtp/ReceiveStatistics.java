package org.huisclos.media.rtp;

import static org.huisclos.media.bytes.Bytes.put24;
import static org.huisclos.media.bytes.Bytes.put32;
import static org.huisclos.media.bytes.Bytes.put8;

/**
 * Reception statistics of one media source for RTCP report blocks (RFC 3550 §6.4.1, Appendix A.1 sequence
 * tracking, A.3 loss, A.8 jitter). Probation is simplified: the first packet starts the count. One
 * instance per received SSRC, fed by one thread; nothing is allocated after construction.
 */
public final class ReceiveStatistics {
    public static final int REPORT_BLOCK_LENGTH = 24;

    private static final int SEQ_MOD = 1 << 16;
    private static final int MAX_DROPOUT = 3000;
    private static final int MAX_MISORDER = 100;
    private static final int MAX_LOST = 0x7FFFFF;
    private static final int MIN_LOST = -0x800000;

    private final int ssrc;
    private boolean started;
    private int maxSeq;
    private long cycles;
    private int baseSeq;
    private int badSeq;
    private long received;
    private long expectedPrior;
    private long receivedPrior;
    private int lastTransit;
    private long jitterQ4; // jitter in timestamp units, scaled by 16 as in A.8's integer variant
    private long lastSrNtpMiddle32;
    private long lastSrArrivalMillis;

    public ReceiveStatistics(int ssrc) {
        this.ssrc = ssrc;
    }

    public int ssrc() {
        return ssrc;
    }

    /**
     * Accounts for one received packet. {@code arrivalRtpUnits} is the local arrival time expressed in
     * the stream's RTP clock units (any origin: only differences matter). Duplicates and reordered
     * packets count as received, as in A.3, so cumulative loss can go negative.
     */
    public void onPacket(int seq, long rtpTimestamp, long arrivalRtpUnits) {
        seq &= 0xFFFF;
        if (!started) {
            restart(seq);
            started = true;
        } else if (!updateSeq(seq)) {
            return;
        }
        received++;
        int transit = (int) (arrivalRtpUnits - rtpTimestamp); // 32-bit arithmetic survives timestamp wrap
        if (received > 1) {
            int d = transit - lastTransit;
            if (d < 0) {
                d = -d;
            }
            jitterQ4 += d - ((jitterQ4 + 8) >> 4);
        }
        lastTransit = transit;
    }

    /** Records the middle 32 bits of the last SR's NTP time and when it arrived, for LSR/DLSR. */
    public void onSenderReport(long ntpMiddle32, long arrivalMillis) {
        lastSrNtpMiddle32 = ntpMiddle32 & 0xFFFF_FFFFL;
        lastSrArrivalMillis = arrivalMillis;
    }

    private void restart(int seq) {
        baseSeq = seq;
        maxSeq = seq;
        badSeq = SEQ_MOD + 1; // an impossible seq
        cycles = 0;
        received = 0;
        expectedPrior = 0;
        receivedPrior = 0;
    }

    /** A.1 update_seq without probation: false means the packet is ignored. */
    private boolean updateSeq(int seq) {
        int udelta = (seq - maxSeq) & 0xFFFF;
        if (udelta < MAX_DROPOUT) {
            if (seq < maxSeq) {
                cycles += SEQ_MOD;
            }
            maxSeq = seq;
        } else if (udelta <= SEQ_MOD - MAX_MISORDER) {
            // A large jump: believe it only if the next packet continues from it (sender restarted).
            if (seq == badSeq) {
                restart(seq);
            } else {
                badSeq = (seq + 1) & 0xFFFF;
                return false;
            }
        }
        // else: duplicate or reordered within MAX_MISORDER, counted but does not move maxSeq
        return true;
    }

    public boolean hasReceived() {
        return started;
    }

    public long packetsReceived() {
        return received;
    }

    /** Cycle count in the high 16 bits, highest sequence number in the low 16 bits. */
    public long extendedHighestSeq() {
        return cycles + maxSeq;
    }

    public long expected() {
        return started ? extendedHighestSeq() - baseSeq + 1 : 0;
    }

    /** Cumulative packets lost, clamped to the 24-bit signed field of a report block. */
    public int cumulativeLost() {
        long lost = expected() - received;
        return (int) Math.max(MIN_LOST, Math.min(MAX_LOST, lost));
    }

    /** Interarrival jitter in RTP timestamp units. */
    public long jitter() {
        return jitterQ4 >> 4;
    }

    /** Writes a report block using the last SR recorded by {@link #onSenderReport}; DLSR from now. */
    public void writeReportBlock(byte[] out, int off, long nowMillis) {
        long dlsr = 0;
        if (lastSrNtpMiddle32 != 0) {
            dlsr = Math.max(0, nowMillis - lastSrArrivalMillis) * 65536 / 1000;
        }
        writeReportBlock(out, off, ssrc, lastSrNtpMiddle32, dlsr);
    }

    /**
     * Writes a 24-byte report block (RFC 3550 §6.4.1) and starts a new interval for fraction lost.
     *
     * @param lastSrNtpMiddle32     LSR: middle 32 bits of the last SR's NTP timestamp, 0 if none
     * @param delaySinceLastSrUnits DLSR in units of 1/65536 s, 0 if no SR yet
     */
    public void writeReportBlock(byte[] out, int off, int ssrc, long lastSrNtpMiddle32, long delaySinceLastSrUnits) {
        long expected = expected();
        long expectedInterval = expected - expectedPrior;
        long receivedInterval = received - receivedPrior;
        expectedPrior = expected;
        receivedPrior = received;
        long lostInterval = expectedInterval - receivedInterval;
        int fraction = expectedInterval == 0 || lostInterval <= 0 ? 0 : (int) ((lostInterval << 8) / expectedInterval);

        put32(out, off, ssrc);
        put8(out, off + 4, fraction);
        put24(out, off + 5, cumulativeLost());
        put32(out, off + 8, extendedHighestSeq());
        put32(out, off + 12, jitter());
        put32(out, off + 16, lastSrNtpMiddle32);
        put32(out, off + 20, Math.min(delaySinceLastSrUnits, 0xFFFF_FFFFL));
    }
}
