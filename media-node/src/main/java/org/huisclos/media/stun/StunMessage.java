package org.huisclos.media.stun;

import static org.huisclos.media.bytes.Bytes.i32;
import static org.huisclos.media.bytes.Bytes.u16;
import static org.huisclos.media.stun.StunConstants.*;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * A reusable view over one STUN datagram held in a caller's byte[]. {@link #parse} validates the
 * framing and records where the attributes ICE needs are; it copies nothing and allocates nothing,
 * so the view is only valid while the caller leaves the buffer untouched. Not thread-safe: keep
 * one per event-loop thread.
 */
public final class StunMessage {
    /** How many unknown comprehension-required types are remembered for a 420 response. */
    public static final int MAX_UNKNOWN_ATTRIBUTES = StunAttributeIndex.MAX_UNKNOWN;

    private final CRC32 crc = new CRC32();
    private final StunAttributeIndex attrs = new StunAttributeIndex();
    private byte[] buf;
    private int off;
    private int len;

    /**
     * RFC 7983 demultiplexing: a cheap test that a datagram on the shared port is STUN rather than
     * DTLS, RTP or RTCP. It does not validate the message; {@link #parse} does.
     */
    public static boolean looksLikeStun(byte[] buf, int off, int len) {
        return len >= HEADER_LENGTH && (buf[off] & 0xFF) <= 3 && i32(buf, off + 4) == MAGIC_COOKIE;
    }

    /**
     * Parses the datagram {@code buf[off, off+len)}. Returns false, leaving the view empty, for
     * anything that is not a well-formed STUN message: bad header bits or cookie, a length that is
     * not a multiple of four or does not match the datagram, attributes (with padding) running past
     * the end, attributes of the wrong size, or anything after FINGERPRINT.
     */
    public boolean parse(byte[] buf, int off, int len) {
        reset();
        if (buf == null || off < 0 || len < HEADER_LENGTH || len > buf.length - off
                || (buf[off] & 0xC0) != 0 || i32(buf, off + 4) != MAGIC_COOKIE) {
            return false;
        }
        int bodyLength = u16(buf, off + 2);
        if ((bodyLength & 3) != 0 || bodyLength != len - HEADER_LENGTH) {
            return false;
        }
        this.buf = buf;
        this.off = off;
        this.len = len;
        boolean afterIntegrity = false;
        int end = off + len;
        for (int p = off + HEADER_LENGTH; p < end; ) {
            if (attrs.fingerprintOff >= 0 || end - p < 4) {
                return fail(); // FINGERPRINT must be last (RFC 5389 §15.5)
            }
            int attrType = u16(buf, p);
            int attrLen = u16(buf, p + 2);
            if (padded(attrLen) > end - p - 4) {
                return fail();
            }
            // Attributes after MESSAGE-INTEGRITY are not authenticated, so they are ignored,
            // except FINGERPRINT (RFC 5389 §15.4).
            boolean counts = !afterIntegrity || attrType == ATTR_FINGERPRINT;
            if (counts && !attrs.record(buf, attrType, p, attrLen)) {
                return fail();
            }
            afterIntegrity |= attrType == ATTR_MESSAGE_INTEGRITY;
            p += 4 + padded(attrLen);
        }
        return true;
    }

    private boolean fail() {
        reset();
        return false;
    }

    private void reset() {
        buf = null;
        off = len = 0;
        attrs.reset();
    }

    /**
     * CRC-32 up to FINGERPRINT, XOR 0x5354554E; false when absent. Parsing guarantees FINGERPRINT
     * is last, so the header length already covers it, as it did when the sender computed it.
     */
    public boolean verifyFingerprint() {
        if (attrs.fingerprintOff < 0) {
            return false;
        }
        crc.reset();
        crc.update(buf, off, attrs.fingerprintOff - off);
        return ((int) crc.getValue() ^ FINGERPRINT_XOR) == i32(buf, attrs.fingerprintOff + 4);
    }

    /** Checks MESSAGE-INTEGRITY with a short-term key (the ICE password); false when absent. */
    public boolean verifyIntegrity(StunIntegrity integrity, byte[] key) {
        return integrity.verify(this, key);
    }

    // --- header ---

    public boolean isValid() {
        return buf != null;
    }

    public byte[] buffer() {
        return buf;
    }

    public int offset() {
        return off;
    }

    public int length() {
        return len;
    }

    public int messageType() {
        return buf == null ? -1 : u16(buf, off);
    }

    public int method() {
        return StunConstants.method(messageType());
    }

    public int messageClass() {
        return StunConstants.messageClass(messageType());
    }

    public boolean isBindingRequest() {
        return messageType() == BINDING_REQUEST;
    }

    public boolean isBindingSuccess() {
        return messageType() == BINDING_SUCCESS;
    }

    public boolean isBindingError() {
        return messageType() == BINDING_ERROR;
    }

    public boolean isBindingIndication() {
        return messageType() == BINDING_INDICATION;
    }

    /** Absolute offset in {@link #buffer()} of the 12-byte transaction id. */
    public int transactionIdOffset() {
        return off + TRANSACTION_ID_OFFSET;
    }

    public boolean transactionIdEquals(byte[] id, int idOff) {
        for (int i = 0; i < TRANSACTION_ID_LENGTH; i++) {
            if (buf[off + TRANSACTION_ID_OFFSET + i] != id[idOff + i]) {
                return false;
            }
        }
        return true;
    }

    // --- attributes ---

    /** Absolute offset of the USERNAME value, or -1. */
    public int usernameOffset() {
        return attrs.usernameOff;
    }

    public int usernameLength() {
        return attrs.usernameLen;
    }

    /**
     * True when USERNAME is {@code localUfrag + ":" + anything}: a request sent to us names our
     * ufrag first (RFC 8445 §7.2.2). Ufrags are public (they travel in SDP), so this need not be
     * constant-time.
     */
    public boolean usernameMatchesLocalUfrag(byte[] localUfrag) {
        int n = localUfrag.length;
        if (attrs.usernameOff < 0 || attrs.usernameLen <= n || buf[attrs.usernameOff + n] != ':') {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (buf[attrs.usernameOff + i] != localUfrag[i]) {
                return false;
            }
        }
        return true;
    }

    /** Allocates; for the rare path (e.g. an unknown ufrag). Null when absent. */
    public String usernameAsString() {
        return attrs.usernameOff < 0 ? null
                : new String(buf, attrs.usernameOff, attrs.usernameLen, StandardCharsets.UTF_8);
    }

    /** Absolute offset of the MESSAGE-INTEGRITY attribute's type field, or -1. */
    public int messageIntegrityOffset() {
        return attrs.integrityOff;
    }

    /** Absolute offset of the FINGERPRINT attribute's type field, or -1. */
    public int fingerprintOffset() {
        return attrs.fingerprintOff;
    }

    /** PRIORITY as an unsigned 32-bit value, or -1 when absent. */
    public long priority() {
        return attrs.priority;
    }

    public boolean hasUseCandidate() {
        return attrs.useCandidate;
    }

    public boolean hasIceControlling() {
        return attrs.iceControlling;
    }

    public boolean hasIceControlled() {
        return attrs.iceControlled;
    }

    /** The tie-breaker of the first ICE-CONTROLLING/ICE-CONTROLLED; compare with Long.compareUnsigned. */
    public long tieBreaker() {
        return attrs.tieBreaker;
    }

    /** ERROR-CODE as class * 100 + number (e.g. 487), or -1 when absent. */
    public int errorCode() {
        int e = attrs.errorCodeOff;
        return e < 0 ? -1 : (buf[e + 2] & 7) * 100 + (buf[e + 3] & 0xFF);
    }

    /** Allocates; null when ERROR-CODE is absent. */
    public String errorReasonAsString() {
        return attrs.errorCodeOff < 0 ? null
                : new String(buf, attrs.errorCodeOff + 4, attrs.errorCodeLen - 4, StandardCharsets.UTF_8);
    }

    /** Absolute offset of the SOFTWARE value, or -1. */
    public int softwareOffset() {
        return attrs.softwareOff;
    }

    public int softwareLength() {
        return attrs.softwareLen;
    }

    /** Allocates; null when SOFTWARE is absent. */
    public String softwareAsString() {
        return attrs.softwareOff < 0 ? null
                : new String(buf, attrs.softwareOff, attrs.softwareLen, StandardCharsets.UTF_8);
    }

    public boolean hasXorMappedAddress() {
        return attrs.xorAddressOff >= 0;
    }

    /**
     * Decodes XOR-MAPPED-ADDRESS into {@code into} (RFC 5389 §15.2). The port and an IPv4 address
     * are XORed with the cookie, an IPv6 address with cookie and transaction id, which sit next to
     * each other in the header. False if absent or the family does not match the length.
     */
    public boolean readXorMappedAddress(StunAddress into) {
        if (attrs.xorAddressOff < 0) {
            return false;
        }
        int family = buf[attrs.xorAddressOff + 1] & 0xFF;
        int addrLen = family == StunAddress.FAMILY_IPV4 ? 4 : family == StunAddress.FAMILY_IPV6 ? 16 : -1;
        if (addrLen + 4 != attrs.xorAddressLen) {
            return false;
        }
        byte[] dst = into.addressBytes();
        for (int i = 0; i < addrLen; i++) {
            dst[i] = (byte) (buf[attrs.xorAddressOff + 4 + i] ^ buf[off + 4 + i]);
        }
        into.setDecoded(family, u16(buf, attrs.xorAddressOff + 2) ^ (MAGIC_COOKIE >>> 16));
        return true;
    }

    public int unknownComprehensionRequiredCount() {
        return attrs.unknownCount;
    }

    public int unknownComprehensionRequiredType(int index) {
        if (index < 0 || index >= attrs.unknownCount) {
            throw new IndexOutOfBoundsException(index);
        }
        return attrs.unknownTypes[index];
    }
}
