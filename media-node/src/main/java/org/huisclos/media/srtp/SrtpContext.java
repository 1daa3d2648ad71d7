package org.huisclos.media.srtp;

import java.util.function.IntSupplier;
import org.huisclos.media.bytes.Bytes;

/**
 * SRTP and SRTCP protection (RFC 3711, RFC 7714) for one direction of one DTLS-SRTP session: one master key and
 * salt, any number of SSRCs. Use one context to protect what this side sends and another, made from the peer's
 * key, to unprotect what it receives.
 *
 * <p>All methods work in place on {@code buf[off, off + len)}. Protecting appends the tag (and for SRTCP the
 * E|index word), so the caller must leave {@link #maxOverhead()} spare bytes after the packet. The per-packet
 * path allocates nothing; only the first packet of a new SSRC creates its state.
 *
 * <p>Failures are reported as negative return values, never exceptions: {@link #ERR_AUTH}, {@link #ERR_REPLAY},
 * {@link #ERR_MALFORMED}, {@link #ERR_INDEX_EXHAUSTED}, {@link #ERR_TOO_MANY_SSRCS}. A packet that fails leaves the state unchanged, and a
 * packet that fails authentication also leaves the buffer unchanged.
 *
 * <p>Not thread-safe: the context holds scratch buffers and per-SSRC state, so only one thread may use it at a
 * time (typically the thread that owns the transport).
 */
public final class SrtpContext {
    /** The tag did not verify. */
    public static final int ERR_AUTH = -1;
    /** Already received, or older than the replay window of {@value ReplayWindow#SIZE} packets. */
    public static final int ERR_REPLAY = -2;
    /** Not a well-formed RTP/RTCP packet, bounds outside {@code buf}, or no room for the trailer. */
    public static final int ERR_MALFORMED = -3;
    /** The SRTP (2^48) or SRTCP (2^31) index space is used up; the session must be rekeyed. */
    public static final int ERR_INDEX_EXHAUSTED = -4;
    /** A new SSRC, and this context already keeps state for its limit of received ones ({@link #limitReceivedSsrcs}). */
    public static final int ERR_TOO_MANY_SSRCS = -5;

    /** Replayed packets are detected this many indices behind the highest one received. */
    public static final int REPLAY_WINDOW = ReplayWindow.SIZE;

    private static final int RTP_HEADER = 12;
    private static final int RTCP_HEADER = 8;
    private static final long MAX_SRTP_INDEX = (1L << 48) - 1;

    private final SrtpProfile profile;
    private final SrtpTransform rtp;
    private final SrtpTransform rtcp;
    private final SsrcTable streams = new SsrcTable();
    private IntSupplier maxReceivedSsrcs; // null: no limit

    /**
     * Derives the session keys (RFC 3711 §4.3, key derivation rate 0) from the DTLS-SRTP master key and salt.
     */
    public SrtpContext(SrtpProfile profile, byte[] masterKey, byte[] masterSalt) {
        if (masterKey.length != profile.keyLength || masterSalt.length != profile.saltLength) {
            throw new IllegalArgumentException(profile + " needs a " + profile.keyLength + "-byte key and a "
                    + profile.saltLength + "-byte salt");
        }
        SrtpKeyDerivation kdf = new SrtpKeyDerivation(masterKey, masterSalt);
        this.profile = profile;
        this.rtp = SrtpTransform.create(profile, kdf, false);
        this.rtcp = SrtpTransform.create(profile, kdf, true);
    }

    private SrtpContext(SrtpProfile profile, SrtpTransform rtp, SrtpTransform rtcp) {
        this.profile = profile;
        this.rtp = rtp;
        this.rtcp = rtcp;
    }

    /** Test hook: a context from session keys, skipping the KDF (the RFC 7714 examples give session keys). */
    static SrtpContext fromSessionKeys(SrtpProfile profile, byte[] key, byte[] salt, byte[] authKey) {
        return new SrtpContext(profile, SrtpTransform.create(profile, key, salt, authKey),
                SrtpTransform.create(profile, key, salt, authKey));
    }

    public SrtpProfile profile() {
        return profile;
    }

    /** The most bytes protecting a packet adds (the SRTCP trailer): spare room the caller must leave. */
    public int maxOverhead() {
        return rtcp.rtcpOverhead;
    }

    /**
     * Encrypts and authenticates an RTP packet; returns the SRTP length or a negative error. The ROC advances
     * when the sequence number wraps; a packet whose sequence number would fall before the stream's first
     * (ROC 0) gets {@link #ERR_REPLAY}.
     */
    public int protectRtp(byte[] buf, int off, int len) {
        int headerLength = rtpHeaderLength(buf, off, len, len);
        if (headerLength < 0 || !hasRoom(buf, off, len + rtp.rtpOverhead)) {
            return ERR_MALFORMED;
        }
        int ssrc = Bytes.i32(buf, off + 8);
        int seq = Bytes.u16(buf, off + 2);
        SsrcState s = streams.getOrAdd(ssrc);
        // The sender guesses like a receiver would, so packets sent out of order (retransmissions) keep their ROC.
        long index = SsrcState.estimateIndex(s.sentHighest, seq);
        if (index < 0) {
            return ERR_REPLAY;
        }
        if (index > MAX_SRTP_INDEX) {
            return ERR_INDEX_EXHAUSTED;
        }
        if (index > s.sentHighest) {
            s.sentHighest = index;
        }
        return rtp.protectRtp(buf, off, len, headerLength, ssrc, index);
    }

    /** Verifies and decrypts an SRTP packet; returns the RTP length (at least 12) or a negative error. */
    public int unprotectRtp(byte[] buf, int off, int len) {
        if (!inBounds(buf, off, len) || len < RTP_HEADER + rtp.rtpOverhead) {
            return ERR_MALFORMED;
        }
        int headerLength = rtpHeaderLength(buf, off, len, len - rtp.rtpOverhead);
        if (headerLength < 0) {
            return ERR_MALFORMED;
        }
        int ssrc = Bytes.i32(buf, off + 8);
        int seq = Bytes.u16(buf, off + 2);
        // Unknown SSRCs get state only after they authenticate, so forged SSRCs cannot fill the table.
        SsrcState s = streams.get(ssrc);
        if (s == null && maxReceivedSsrcs != null && streams.size() >= maxReceivedSsrcs.getAsInt()) {
            return ERR_TOO_MANY_SSRCS;
        }
        ReplayWindow window = s == null ? null : s.rtpWindow;
        long index = SsrcState.estimateIndex(window == null ? -1 : window.highest(), seq);
        if (index < 0 || (window != null && !window.check(index))) {
            return ERR_REPLAY;
        }
        int result = rtp.unprotectRtp(buf, off, len, headerLength, ssrc, index);
        if (result < 0) {
            return result;
        }
        if (window == null) {
            window = streams.getOrAdd(ssrc).rtpWindow;
        }
        window.accept(index);
        return result;
    }

    /**
     * Encrypts (E = 1) and authenticates an RTCP (compound) packet; returns the SRTCP length or an error. The
     * SRTCP index of each SSRC starts at 0 (RFC 3711 §3.3.2) and ends at 2^31 - 1 ({@link #ERR_INDEX_EXHAUSTED}).
     */
    public int protectRtcp(byte[] buf, int off, int len) {
        if (!isRtcp(buf, off, len, len) || !hasRoom(buf, off, len + rtcp.rtcpOverhead)) {
            return ERR_MALFORMED;
        }
        int ssrc = Bytes.i32(buf, off + 4);
        SsrcState s = streams.getOrAdd(ssrc);
        int index = s.nextSrtcpIndex;
        if (index < 0) {
            return ERR_INDEX_EXHAUSTED;
        }
        s.nextSrtcpIndex = index + 1; // overflows to negative after 2^31 - 1: exhausted
        return rtcp.protectRtcp(buf, off, len, ssrc, index);
    }

    /**
     * Verifies and, if E is set, decrypts an SRTCP packet; returns the RTCP length or a negative error. Packets
     * with E = 0 (authenticated only) are accepted as they are. The 31-bit index is not expected to wrap: the
     * sender must rekey first.
     */
    public int unprotectRtcp(byte[] buf, int off, int len) {
        if (!isRtcp(buf, off, len, len - rtcp.rtcpOverhead)) {
            return ERR_MALFORMED;
        }
        int ssrc = Bytes.i32(buf, off + 4);
        int word = Bytes.i32(buf, rtcp.rtcpIndexWordOffset(off, len));
        int index = word & 0x7fffffff;
        SsrcState s = streams.get(ssrc);
        if (s == null && maxReceivedSsrcs != null && streams.size() >= maxReceivedSsrcs.getAsInt()) {
            return ERR_TOO_MANY_SSRCS;
        }
        ReplayWindow window = s == null ? null : s.rtcpWindow;
        if (window != null && !window.check(index)) {
            return ERR_REPLAY;
        }
        int result = rtcp.unprotectRtcp(buf, off, len, ssrc, word);
        if (result < 0) {
            return result;
        }
        if (window == null) {
            window = streams.getOrAdd(ssrc).rtcpWindow;
        }
        window.accept(index);
        return result;
    }

    /** Test hook: sets the SRTCP index the next protected RTCP packet of {@code ssrc} carries. */
    void setNextSrtcpIndex(int ssrc, int index) {
        streams.getOrAdd(ssrc).nextSrtcpIndex = index;
    }

    /**
     * Packets received (unprotect) give state to at most {@code max.getAsInt()} SSRCs in all, asked
     * only when a new SSRC comes: one more fails with {@link #ERR_TOO_MANY_SSRCS} before any
     * cryptography. For a participant's inbound context, whose sender holds the keys and could
     * otherwise make the node keep state for any number of SSRCs. Set before use.
     */
    public void limitReceivedSsrcs(IntSupplier max) {
        this.maxReceivedSsrcs = max;
    }

    /** SSRCs this context keeps state for (replay windows, indices): one per stream it authenticated or sent. */
    public int ssrcCount() {
        return streams.size();
    }

    /**
     * Length of the RTP header including CSRCs and the header extension (RFC 3550 §5.1, §5.3.1), which SRTP
     * authenticates but does not encrypt; -1 if malformed or longer than {@code limit}.
     */
    private static int rtpHeaderLength(byte[] buf, int off, int len, int limit) {
        if (!inBounds(buf, off, len) || limit < RTP_HEADER || (buf[off] & 0xc0) != 0x80) {
            return -1;
        }
        int headerLength = RTP_HEADER + 4 * (buf[off] & 0x0f);
        if ((buf[off] & 0x10) != 0) {
            if (headerLength + 4 > limit) {
                return -1;
            }
            headerLength += 4 + 4 * Bytes.u16(buf, off + headerLength + 2);
        }
        return headerLength <= limit ? headerLength : -1;
    }

    /** An RTCP packet needs version 2 and a header with the sender SSRC within its first {@code limit} bytes. */
    private static boolean isRtcp(byte[] buf, int off, int len, int limit) {
        return inBounds(buf, off, len) && limit >= RTCP_HEADER && (buf[off] & 0xc0) == 0x80;
    }

    private static boolean inBounds(byte[] buf, int off, int len) {
        return off >= 0 && len >= 0 && off <= buf.length - len;
    }

    private static boolean hasRoom(byte[] buf, int off, int needed) {
        return off <= buf.length - needed;
    }
}
