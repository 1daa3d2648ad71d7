package org.huisclos.media.srtp;

import org.huisclos.media.bytes.Bytes;

/**
 * AES_CM_128_HMAC_SHA1_80 (RFC 3711): AES in counter mode (§4.1.1) and HMAC-SHA1 truncated to the profile's tag
 * length (§4.2.1).
 */
final class AesCmHmacTransform extends SrtpTransform {
    private final AesCtr ctr;
    private final HmacSha1 hmac;
    private final byte[] salt;
    private final int tagLength;
    private final byte[] iv = new byte[16];

    AesCmHmacTransform(byte[] key, byte[] salt, byte[] authKey, int tagLength) {
        super(tagLength, tagLength + 4);
        this.ctr = new AesCtr(key);
        this.hmac = new HmacSha1(authKey);
        this.salt = salt.clone();
        this.tagLength = tagLength;
    }

    /** IV = (k_s * 2^16) XOR (SSRC * 2^64) XOR (i * 2^16), RFC 3711 §4.1.1. */
    private void setIv(int ssrc, long index) {
        System.arraycopy(salt, 0, iv, 0, 14);
        iv[14] = 0;
        iv[15] = 0;
        iv[4] ^= (byte) (ssrc >>> 24);
        iv[5] ^= (byte) (ssrc >>> 16);
        iv[6] ^= (byte) (ssrc >>> 8);
        iv[7] ^= (byte) ssrc;
        for (int i = 0; i < 6; i++) {
            iv[8 + i] ^= (byte) (index >>> (40 - 8 * i));
        }
    }

    @Override
    int protectRtp(byte[] buf, int off, int len, int headerLength, int ssrc, long index) {
        setIv(ssrc, index);
        ctr.apply(iv, buf, off + headerLength, len - headerLength);
        // The ROC is authenticated but not sent (§4.2): M = authenticated portion || ROC.
        hmac.begin();
        hmac.update(buf, off, len);
        hmac.updateInt((int) (index >>> 16));
        System.arraycopy(hmac.finish(), 0, buf, off + len, tagLength);
        return len + tagLength;
    }

    @Override
    int unprotectRtp(byte[] buf, int off, int len, int headerLength, int ssrc, long index) {
        int bodyEnd = len - tagLength;
        hmac.begin();
        hmac.update(buf, off, bodyEnd);
        hmac.updateInt((int) (index >>> 16));
        if (!Bytes.constantTimeEquals(hmac.finish(), 0, buf, off + bodyEnd, tagLength)) {
            return SrtpContext.ERR_AUTH;
        }
        setIv(ssrc, index);
        ctr.apply(iv, buf, off + headerLength, bodyEnd - headerLength);
        return bodyEnd;
    }

    @Override
    int protectRtcp(byte[] buf, int off, int len, int ssrc, int index) {
        setIv(ssrc, index);
        ctr.apply(iv, buf, off + 8, len - 8);
        Bytes.put32(buf, off + len, 0x80000000 | index);
        // RFC 3711 §3.4: the tag covers header, encrypted portion and the E|index word.
        hmac.begin();
        hmac.update(buf, off, len + 4);
        System.arraycopy(hmac.finish(), 0, buf, off + len + 4, tagLength);
        return len + 4 + tagLength;
    }

    @Override
    int rtcpIndexWordOffset(int off, int len) {
        return off + len - tagLength - 4;
    }

    @Override
    int unprotectRtcp(byte[] buf, int off, int len, int ssrc, int eAndIndex) {
        int authEnd = len - tagLength;
        hmac.begin();
        hmac.update(buf, off, authEnd);
        if (!Bytes.constantTimeEquals(hmac.finish(), 0, buf, off + authEnd, tagLength)) {
            return SrtpContext.ERR_AUTH;
        }
        int rtcpLength = authEnd - 4;
        if (eAndIndex < 0) {
            setIv(ssrc, eAndIndex & 0x7fffffff);
            ctr.apply(iv, buf, off + 8, rtcpLength - 8);
        }
        return rtcpLength;
    }
}
