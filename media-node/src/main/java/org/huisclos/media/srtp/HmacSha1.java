package org.huisclos.media.srtp;

import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.huisclos.media.bytes.Bytes;

/**
 * HMAC-SHA1 (RFC 2104) on two reusable {@link MessageDigest}s. {@code javax.crypto.Mac.doFinal()} returns a new
 * array per call; {@code MessageDigest.digest(byte[], int, int)} writes into ours and resets the digest.
 */
final class HmacSha1 {
    static final int LENGTH = 20;
    private static final int BLOCK = 64;

    private final MessageDigest inner;
    private final MessageDigest outer;
    private final byte[] ipad = new byte[BLOCK];
    private final byte[] opad = new byte[BLOCK];
    private final byte[] mac = new byte[LENGTH];
    private final byte[] word = new byte[4];

    HmacSha1(byte[] key) {
        try {
            inner = MessageDigest.getInstance("SHA-1");
            outer = MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 unavailable", e);
        }
        byte[] k = key.length > BLOCK ? inner.digest(key) : key;
        for (int i = 0; i < BLOCK; i++) {
            byte b = i < k.length ? k[i] : 0;
            ipad[i] = (byte) (b ^ 0x36);
            opad[i] = (byte) (b ^ 0x5c);
        }
    }

    /** Starts a new MAC computation. */
    void begin() {
        inner.update(ipad, 0, BLOCK);
    }

    void update(byte[] b, int off, int len) {
        inner.update(b, off, len);
    }

    /** Feeds a 32-bit big-endian integer (the SRTP rollover counter). */
    void updateInt(int v) {
        Bytes.put32(word, 0, v);
        inner.update(word, 0, 4);
    }

    /** Finishes the MAC; the result is in the returned array, which is reused by the next call. */
    byte[] finish() {
        try {
            inner.digest(mac, 0, LENGTH);
            outer.update(opad, 0, BLOCK);
            outer.update(mac, 0, LENGTH);
            outer.digest(mac, 0, LENGTH);
        } catch (DigestException e) {
            throw new IllegalStateException(e);
        }
        return mac;
    }
}
