package org.huisclos.media.stun;

import static org.huisclos.media.bytes.Bytes.put16;
import static org.huisclos.media.bytes.Bytes.put32;
import static org.huisclos.media.bytes.Bytes.put64;
import static org.huisclos.media.stun.StunConstants.*;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Objects;
import java.util.zip.CRC32;

/**
 * Writes the Binding messages of ICE into a caller's buffer and returns their length. Reusable and
 * allocation-free once keyed (see {@link StunIntegrity}); not thread-safe. Every message ends with
 * FINGERPRINT, which ICE requires of connectivity checks (RFC 8445 §7).
 */
public final class StunWriter {
    private static final int INTEGRITY_ATTR = 4 + INTEGRITY_LENGTH;
    private static final int FINGERPRINT_ATTR = 8;

    private final StunIntegrity integrity = new StunIntegrity();
    private final CRC32 crc = new CRC32();
    private final byte[] randomId = new byte[TRANSACTION_ID_LENGTH];
    private SecureRandom random;
    private byte[] software;
    private byte paddingByte;

    /** Adds SOFTWARE (first, as RFC 5769 places it) to every message; null to omit it (default). */
    public StunWriter software(String description) {
        byte[] bytes = description == null ? null : description.getBytes(StandardCharsets.UTF_8);
        if (bytes != null && bytes.length > MAX_SOFTWARE_LENGTH) {
            throw new IllegalArgumentException("SOFTWARE longer than " + MAX_SOFTWARE_LENGTH + " bytes");
        }
        this.software = bytes;
        return this;
    }

    /**
     * The value of padding bytes. Receivers must ignore it (RFC 5389 §15); the default is 0. It is
     * settable only because the RFC 5769 vectors pad with spaces and we reproduce them byte for byte.
     */
    public StunWriter paddingByte(int value) {
        this.paddingByte = (byte) value;
        return this;
    }

    /**
     * Binding success response to {@code request}: same transaction id, XOR-MAPPED-ADDRESS of the
     * request's source, MESSAGE-INTEGRITY with our (local) ICE password, FINGERPRINT.
     */
    public int writeBindingSuccess(byte[] out, int off, StunMessage request, StunAddress source,
                                   byte[] localPassword) {
        requireParsed(request);
        return writeBindingSuccess(out, off, request.buffer(), request.transactionIdOffset(), source,
                localPassword);
    }

    /** As above, with the transaction id taken from {@code txBuf[txOff, +12)}. */
    public int writeBindingSuccess(byte[] out, int off, byte[] txBuf, int txOff, StunAddress source,
                                   byte[] localPassword) {
        int addrLen = source.addressLength();
        if (addrLen == 0) {
            throw new IllegalArgumentException("source address not set");
        }
        int bodyLength = softwareSize() + 8 + addrLen + INTEGRITY_ATTR + FINGERPRINT_ATTR;
        Objects.checkFromIndexSize(off, HEADER_LENGTH + bodyLength, out.length);
        int p = header(out, off, BINDING_SUCCESS, txBuf, txOff);
        p = writeSoftware(out, p);
        p = attributeHeader(out, p, ATTR_XOR_MAPPED_ADDRESS, 4 + addrLen);
        out[p] = 0;
        out[p + 1] = (byte) source.family();
        put16(out, p + 2, source.port() ^ (MAGIC_COOKIE >>> 16));
        byte[] addr = source.addressBytes();
        for (int i = 0; i < addrLen; i++) {
            // Cookie and transaction id are adjacent in the header we just wrote: that is the key.
            out[p + 4 + i] = (byte) (addr[i] ^ out[off + 4 + i]);
        }
        p += 4 + addrLen;
        return finish(out, off, p, localPassword);
    }

    /**
     * Binding error response to {@code request} with ERROR-CODE and its standard reason phrase. For
     * 420 the request's unknown comprehension-required attributes are listed in UNKNOWN-ATTRIBUTES.
     * {@code localPassword} adds MESSAGE-INTEGRITY (e.g. for 487, RFC 5389 §10.1.2); pass null for
     * 400/401 answering a request that failed authentication.
     */
    public int writeErrorResponse(byte[] out, int off, StunMessage request, int errorCode,
                                  byte[] localPassword) {
        requireParsed(request);
        if (errorCode < 300 || errorCode > 699) {
            throw new IllegalArgumentException("error code out of range: " + errorCode);
        }
        byte[] reason = StunErrorCode.reasonPhrase(errorCode);
        int unknown = errorCode == StunErrorCode.UNKNOWN_ATTRIBUTE
                ? request.unknownComprehensionRequiredCount() : 0;
        int bodyLength = softwareSize() + 4 + padded(4 + reason.length)
                + (unknown > 0 ? 4 + padded(2 * unknown) : 0)
                + (localPassword != null ? INTEGRITY_ATTR : 0) + FINGERPRINT_ATTR;
        Objects.checkFromIndexSize(off, HEADER_LENGTH + bodyLength, out.length);
        int type = messageType(request.method(), CLASS_ERROR);
        int p = header(out, off, type, request.buffer(), request.transactionIdOffset());
        p = writeSoftware(out, p);
        p = attributeHeader(out, p, ATTR_ERROR_CODE, 4 + reason.length);
        put16(out, p, 0);
        out[p + 2] = (byte) (errorCode / 100);
        out[p + 3] = (byte) (errorCode % 100);
        System.arraycopy(reason, 0, out, p + 4, reason.length);
        p = pad(out, p + 4 + reason.length, 4 + reason.length);
        if (unknown > 0) {
            p = attributeHeader(out, p, ATTR_UNKNOWN_ATTRIBUTES, 2 * unknown);
            for (int i = 0; i < unknown; i++, p += 2) {
                put16(out, p, request.unknownComprehensionRequiredType(i));
            }
            p = pad(out, p, 2 * unknown);
        }
        return finish(out, off, p, localPassword);
    }

    /**
     * Binding request as a controlling agent sends it (RFC 8445 §7.1.1): USERNAME
     * "remoteUfrag:localUfrag", PRIORITY, ICE-CONTROLLING, optionally USE-CANDIDATE, integrity with
     * the remote password. {@code transactionId} (12 bytes) or null for a random one, which the
     * caller can read back from {@code out[off + 8, +12)}.
     */
    public int writeControllingRequest(byte[] out, int off, byte[] transactionId, byte[] remoteUfrag,
                                       byte[] localUfrag, byte[] remotePassword, long priority,
                                       long tieBreaker, boolean useCandidate) {
        return writeRequest(out, off, transactionId, remoteUfrag, localUfrag, remotePassword, priority,
                ATTR_ICE_CONTROLLING, tieBreaker, useCandidate);
    }

    /** Binding request as a controlled agent sends it: ICE-CONTROLLED and never USE-CANDIDATE. */
    public int writeControlledRequest(byte[] out, int off, byte[] transactionId, byte[] remoteUfrag,
                                      byte[] localUfrag, byte[] remotePassword, long priority,
                                      long tieBreaker) {
        return writeRequest(out, off, transactionId, remoteUfrag, localUfrag, remotePassword, priority,
                ATTR_ICE_CONTROLLED, tieBreaker, false);
    }

    private int writeRequest(byte[] out, int off, byte[] transactionId, byte[] remoteUfrag,
                             byte[] localUfrag, byte[] remotePassword, long priority, int roleAttribute,
                             long tieBreaker, boolean useCandidate) {
        int usernameLength = remoteUfrag.length + 1 + localUfrag.length;
        if (usernameLength > MAX_USERNAME_LENGTH) {
            throw new IllegalArgumentException("USERNAME longer than " + MAX_USERNAME_LENGTH + " bytes");
        }
        if (priority < 0 || priority > 0xFFFFFFFFL) {
            throw new IllegalArgumentException("priority is an unsigned 32-bit value: " + priority);
        }
        if (transactionId != null && transactionId.length != TRANSACTION_ID_LENGTH) {
            throw new IllegalArgumentException("transaction id must be 12 bytes");
        }
        int bodyLength = softwareSize() + 8 + 12 + (useCandidate ? 4 : 0) + 4 + padded(usernameLength)
                + INTEGRITY_ATTR + FINGERPRINT_ATTR;
        Objects.checkFromIndexSize(off, HEADER_LENGTH + bodyLength, out.length);
        byte[] tx = transactionId;
        if (tx == null) {
            if (random == null) {
                random = new SecureRandom();
            }
            random.nextBytes(randomId);
            tx = randomId;
        }
        int p = header(out, off, BINDING_REQUEST, tx, 0);
        p = writeSoftware(out, p);
        p = attributeHeader(out, p, ATTR_PRIORITY, 4);
        put32(out, p, (int) priority);
        p = attributeHeader(out, p + 4, roleAttribute, 8);
        put64(out, p, tieBreaker);
        p += 8;
        if (useCandidate) {
            p = attributeHeader(out, p, ATTR_USE_CANDIDATE, 0);
        }
        p = attributeHeader(out, p, ATTR_USERNAME, usernameLength);
        System.arraycopy(remoteUfrag, 0, out, p, remoteUfrag.length);
        out[p + remoteUfrag.length] = ':';
        System.arraycopy(localUfrag, 0, out, p + remoteUfrag.length + 1, localUfrag.length);
        p = pad(out, p + usernameLength, usernameLength);
        return finish(out, off, p, remotePassword);
    }

    private static void requireParsed(StunMessage request) {
        if (!request.isValid()) {
            throw new IllegalArgumentException("request has not been parsed successfully");
        }
    }

    private int header(byte[] out, int off, int type, byte[] txBuf, int txOff) {
        put16(out, off, type);
        put16(out, off + 2, 0);
        put32(out, off + 4, MAGIC_COOKIE);
        System.arraycopy(txBuf, txOff, out, off + TRANSACTION_ID_OFFSET, TRANSACTION_ID_LENGTH);
        return off + HEADER_LENGTH;
    }

    private int softwareSize() {
        return software == null ? 0 : 4 + padded(software.length);
    }

    private int writeSoftware(byte[] out, int p) {
        if (software == null) {
            return p;
        }
        p = attributeHeader(out, p, ATTR_SOFTWARE, software.length);
        System.arraycopy(software, 0, out, p, software.length);
        return pad(out, p + software.length, software.length);
    }

    private static int attributeHeader(byte[] out, int p, int type, int length) {
        put16(out, p, type);
        put16(out, p + 2, length);
        return p + 4;
    }

    /** Pads the value that ends at {@code valueEnd} to a multiple of four bytes. */
    private int pad(byte[] out, int valueEnd, int valueLength) {
        int p = valueEnd;
        for (int n = padded(valueLength) - valueLength; n > 0; n--) {
            out[p++] = paddingByte;
        }
        return p;
    }

    /**
     * Appends MESSAGE-INTEGRITY (when a key is given) and FINGERPRINT. Each is computed with the
     * header length already covering the attribute being added (RFC 5389 §15.4, §15.5).
     */
    private int finish(byte[] out, int off, int p, byte[] key) {
        if (key != null) {
            put16(out, off + 2, p + INTEGRITY_ATTR - off - HEADER_LENGTH);
            int value = attributeHeader(out, p, ATTR_MESSAGE_INTEGRITY, INTEGRITY_LENGTH);
            integrity.sign(out, off, p, key, out, value);
            p += INTEGRITY_ATTR;
        }
        put16(out, off + 2, p + FINGERPRINT_ATTR - off - HEADER_LENGTH);
        crc.reset();
        crc.update(out, off, p - off);
        int q = attributeHeader(out, p, ATTR_FINGERPRINT, 4);
        put32(out, q, (int) crc.getValue() ^ FINGERPRINT_XOR);
        return q + 4 - off;
    }
}
