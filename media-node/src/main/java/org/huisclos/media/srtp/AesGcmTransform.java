package org.huisclos.media.srtp;

import org.huisclos.media.bytes.Bytes;

/**
 * AEAD_AES_128_GCM for SRTP and SRTCP (RFC 7714). The RTP header (with CSRCs and extension) is the AAD
 * (§8.2); for SRTCP the AAD is the first 8 bytes plus the E|index word (§9.2), or the whole packet plus that
 * word when E is clear (§9.3, authentication only).
 */
final class AesGcmTransform extends SrtpTransform {
    private static final int TAG = AesGcm.TAG_LENGTH;

    private final AesGcm gcm;
    private final byte[] salt;
    private final byte[] iv = new byte[12];

    AesGcmTransform(byte[] key, byte[] salt) {
        super(TAG, TAG + 4);
        if (salt.length != 12) {
            throw new IllegalArgumentException("GCM session salt must be 12 bytes");
        }
        this.gcm = new AesGcm(key);
        this.salt = salt.clone();
    }

    /** SRTP IV = salt XOR (0x0000 || SSRC || ROC || SEQ), §8.1; SRTCP: (0x0000 || SSRC || 0x0000 || index), §9.1. */
    private void setIv(int ssrc, long tail48) {
        System.arraycopy(salt, 0, iv, 0, 12);
        iv[2] ^= (byte) (ssrc >>> 24);
        iv[3] ^= (byte) (ssrc >>> 16);
        iv[4] ^= (byte) (ssrc >>> 8);
        iv[5] ^= (byte) ssrc;
        for (int i = 0; i < 6; i++) {
            iv[6 + i] ^= (byte) (tail48 >>> (40 - 8 * i));
        }
        gcm.begin(iv, 0);
    }

    @Override
    int protectRtp(byte[] buf, int off, int len, int headerLength, int ssrc, long index) {
        setIv(ssrc, index);
        gcm.aad(buf, off, headerLength);
        gcm.encrypt(buf, off + headerLength, len - headerLength);
        gcm.tag(buf, off + len);
        return len + TAG;
    }

    @Override
    int unprotectRtp(byte[] buf, int off, int len, int headerLength, int ssrc, long index) {
        int bodyEnd = len - TAG;
        setIv(ssrc, index);
        gcm.aad(buf, off, headerLength);
        gcm.authenticateCiphertext(buf, off + headerLength, bodyEnd - headerLength);
        if (!gcm.verify(buf, off + bodyEnd)) {
            return SrtpContext.ERR_AUTH;
        }
        gcm.decrypt(buf, off + headerLength, bodyEnd - headerLength);
        return bodyEnd;
    }

    @Override
    int protectRtcp(byte[] buf, int off, int len, int ssrc, int index) {
        // Wire order (§9, Figure 3): header | ciphertext | tag | E|index.
        int word = off + len + TAG;
        Bytes.put32(buf, word, 0x80000000 | index);
        setIv(ssrc, index);
        gcm.aad(buf, off, 8);
        gcm.aad(buf, word, 4);
        gcm.encrypt(buf, off + 8, len - 8);
        gcm.tag(buf, off + len);
        return len + TAG + 4;
    }

    @Override
    int rtcpIndexWordOffset(int off, int len) {
        return off + len - 4;
    }

    @Override
    int unprotectRtcp(byte[] buf, int off, int len, int ssrc, int eAndIndex) {
        int rtcpLength = len - TAG - 4;
        int word = off + len - 4;
        setIv(ssrc, eAndIndex & 0x7fffffff);
        if (eAndIndex < 0) {
            gcm.aad(buf, off, 8);
            gcm.aad(buf, word, 4);
            gcm.authenticateCiphertext(buf, off + 8, rtcpLength - 8);
        } else {
            gcm.aad(buf, off, rtcpLength);
            gcm.aad(buf, word, 4);
        }
        if (!gcm.verify(buf, off + rtcpLength)) {
            return SrtpContext.ERR_AUTH;
        }
        if (eAndIndex < 0) {
            gcm.decrypt(buf, off + 8, rtcpLength - 8);
        }
        return rtcpLength;
    }
}
