package org.huisclos.media.relay;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.huisclos.media.forward.LinkHook;
import org.huisclos.media.rtp.RtpPacket;
import org.huisclos.media.stun.StunIntegrity;
import org.huisclos.media.stun.StunMessage;

/**
 * A relay link's counters, each way, and its round-trip time from the nodes' STUN consent checks.
 * Packets and bytes are counted as they cross the wire (SRTP/SRTCP, encrypted). Written on the I/O
 * thread (received, sent, STUN responses) and the control thread (requests sent); read anywhere.
 * Nothing here allocates per packet.
 *
 * <p>The forwarder and the demultiplexer see it as the endpoint's {@link LinkHook}.
 *
 * <p>Exported to Prometheus summed over links, without labels (a link names a room and a peer
 * node), through {@link RelayTotals}.
 */
public final class LinkStats implements LinkHook {
    private final AtomicLong rtpIn = new AtomicLong();
    private final AtomicLong rtcpIn = new AtomicLong();
    private final AtomicLong bytesIn = new AtomicLong();
    private final AtomicLong rtpOut = new AtomicLong();
    private final AtomicLong rtcpOut = new AtomicLong();
    private final AtomicLong bytesOut = new AtomicLong();
    private final AtomicLong consentResponses = new AtomicLong();
    private final byte[] peerPwd;
    private final StunIntegrity integrity = new StunIntegrity();
    private final byte[] pendingTransaction = new byte[12];
    private long pendingSentNanos; // under this; 0 when none is pending
    private volatile long rttNanos = -1;
    private volatile long lastResponseNanos;

    public LinkStats(String peerPwd) {
        this.peerPwd = peerPwd.getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public void received(int len, boolean rtcp) {
        (rtcp ? rtcpIn : rtpIn).incrementAndGet();
        bytesIn.addAndGet(len);
    }

    @Override
    public void sent(byte[] buf, int len) {
        (RtpPacket.isRtcp(buf, 0, len) ? rtcpOut : rtpOut).incrementAndGet();
        bytesOut.addAndGet(len);
    }

    /** The control thread sent a consent check whose transaction id is {@code buf[off, off + 12)}. */
    synchronized void requestSent(byte[] buf, int off, long nowNanos) {
        System.arraycopy(buf, off, pendingTransaction, 0, 12);
        pendingSentNanos = nowNanos;
    }

    /**
     * A binding success from the peer's address: true when it answers our latest check and is signed
     * with the peer's password (then the RTT is updated). I/O thread.
     */
    @Override
    public synchronized boolean onStunResponse(StunMessage m) {
        long now = System.nanoTime();
        if (pendingSentNanos == 0 || !m.transactionIdEquals(pendingTransaction, 0)
                || m.fingerprintOffset() < 0 || !m.verifyFingerprint()
                || m.messageIntegrityOffset() < 0 || !m.verifyIntegrity(integrity, peerPwd)) {
            return false;
        }
        rttNanos = now - pendingSentNanos;
        pendingSentNanos = 0;
        lastResponseNanos = now;
        consentResponses.incrementAndGet();
        return true;
    }

    public long rtpPacketsIn() {
        return rtpIn.get();
    }

    public long rtcpPacketsIn() {
        return rtcpIn.get();
    }

    public long bytesIn() {
        return bytesIn.get();
    }

    public long rtpPacketsOut() {
        return rtpOut.get();
    }

    public long rtcpPacketsOut() {
        return rtcpOut.get();
    }

    public long bytesOut() {
        return bytesOut.get();
    }

    /** Round-trip time of the latest answered consent check in microseconds, or -1 before any. */
    public long rttMicros() {
        long r = rttNanos;
        return r < 0 ? -1 : r / 1000;
    }

    public long consentResponses() {
        return consentResponses.get();
    }

    /** System.nanoTime() of the latest answered consent check, 0 before any. */
    public long lastResponseNanos() {
        return lastResponseNanos;
    }
}
