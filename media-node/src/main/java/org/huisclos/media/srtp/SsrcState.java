package org.huisclos.media.srtp;

/**
 * Per-SSRC cryptographic state within one {@link SrtpContext} (RFC 3711 §3.2.3). A context serves one
 * direction, so only the sending or the receiving half is used in practice.
 */
final class SsrcState {
    final int ssrc;

    /** Sender: highest 48-bit SRTP index sent (ROC || SEQ), or -1. */
    long sentHighest = -1;
    /** Sender: the SRTCP index the next RTCP packet takes. */
    int nextSrtcpIndex;

    /** Receiver: SRTP index window; its highest() is the ROC || s_l pair of RFC 3711 Appendix A. */
    final ReplayWindow rtpWindow = new ReplayWindow();
    /** Receiver: SRTCP index window. */
    final ReplayWindow rtcpWindow = new ReplayWindow();

    SsrcState(int ssrc) {
        this.ssrc = ssrc;
    }

    /**
     * RFC 3711 §3.3.1 / Appendix A: the 48-bit index of sequence number {@code seq}, guessing the ROC from the
     * highest index seen (v = ROC - 1, ROC or ROC + 1 around a wrap). With nothing seen yet, ROC is 0. Returns
     * a negative value when the guess is ROC - 1 with ROC = 0, i.e. a packet from before the stream began.
     */
    static long estimateIndex(long highest, int seq) {
        if (highest < 0) {
            return seq;
        }
        long roc = highest >>> 16;
        int sl = (int) (highest & 0xffff);
        long v;
        if (sl < 32768) {
            v = seq - sl > 32768 ? roc - 1 : roc;
        } else {
            v = sl - 32768 > seq ? roc + 1 : roc;
        }
        return v < 0 ? -1 : (v << 16) | seq;
    }
}
