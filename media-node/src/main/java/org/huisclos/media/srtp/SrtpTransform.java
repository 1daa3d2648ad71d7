package org.huisclos.media.srtp;

/**
 * The cryptographic half of SRTP/SRTCP for one set of session keys: how a packet whose index is already known
 * is encrypted and authenticated. Index estimation and replay checks stay in {@link SrtpContext}.
 *
 * <p>Lengths: {@code len} is the packet as given; {@code headerLength} the RTP header including CSRCs and
 * extension. Callers have checked bounds and room for the trailer.
 */
abstract class SrtpTransform {
    /** Bytes an SRTP packet grows by. */
    final int rtpOverhead;
    /** Bytes an SRTCP packet grows by: tag plus the E|index word. */
    final int rtcpOverhead;

    SrtpTransform(int rtpOverhead, int rtcpOverhead) {
        this.rtpOverhead = rtpOverhead;
        this.rtcpOverhead = rtcpOverhead;
    }

    static SrtpTransform create(SrtpProfile profile, SrtpKeyDerivation kdf, boolean rtcp) {
        int encLabel = rtcp ? SrtpKeyDerivation.LABEL_RTCP_ENCRYPTION : SrtpKeyDerivation.LABEL_RTP_ENCRYPTION;
        int authLabel = rtcp ? SrtpKeyDerivation.LABEL_RTCP_AUTH : SrtpKeyDerivation.LABEL_RTP_AUTH;
        int saltLabel = rtcp ? SrtpKeyDerivation.LABEL_RTCP_SALT : SrtpKeyDerivation.LABEL_RTP_SALT;
        byte[] key = kdf.derive(encLabel, profile.keyLength);
        byte[] salt = kdf.derive(saltLabel, profile.saltLength);
        byte[] auth = profile == SrtpProfile.AES_CM_128_HMAC_SHA1_80 ? kdf.derive(authLabel, HmacSha1.LENGTH) : null;
        return create(profile, key, salt, auth);
    }

    /** From session keys directly; RFC 7714's examples start here. */
    static SrtpTransform create(SrtpProfile profile, byte[] key, byte[] salt, byte[] authKey) {
        switch (profile) {
            case AEAD_AES_128_GCM:
                return new AesGcmTransform(key, salt);
            case AES_CM_128_HMAC_SHA1_80:
                return new AesCmHmacTransform(key, salt, authKey, profile.tagLength);
            default:
                throw new IllegalArgumentException(profile.name());
        }
    }

    /** Encrypts the payload and appends the tag; returns the new length. */
    abstract int protectRtp(byte[] buf, int off, int len, int headerLength, int ssrc, long index);

    /** Checks the tag, then decrypts; returns the plaintext length or {@link SrtpContext#ERR_AUTH}. */
    abstract int unprotectRtp(byte[] buf, int off, int len, int headerLength, int ssrc, long index);

    /** Encrypts everything after the first 8 bytes and appends the E|index word and the tag. */
    abstract int protectRtcp(byte[] buf, int off, int len, int ssrc, int index);

    /** Where the E|index word sits in a protected SRTCP packet of length {@code len}. */
    abstract int rtcpIndexWordOffset(int off, int len);

    /** Checks the tag, then decrypts if E is set; returns the RTCP length or {@link SrtpContext#ERR_AUTH}. */
    abstract int unprotectRtcp(byte[] buf, int off, int len, int ssrc, int eAndIndex);
}
