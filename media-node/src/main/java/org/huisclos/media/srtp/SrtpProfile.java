package org.huisclos.media.srtp;

/**
 * The SRTP protection profiles Huisclos negotiates in DTLS-SRTP (RFC 5764 §4.1.2, RFC 7714 §14.2),
 * in order of preference.
 */
public enum SrtpProfile {
    /** RFC 7714: AES-128 in GCM, 16-byte tag, 12-byte salt. Preferred: one pass, authenticated. */
    AEAD_AES_128_GCM(0x0007, 16, 12, 16),
    /** RFC 3711: AES-128 counter mode with HMAC-SHA1 truncated to 80 bits, 14-byte salt. */
    AES_CM_128_HMAC_SHA1_80(0x0001, 16, 14, 10);

    /** The profile's identifier in the DTLS use_srtp extension. */
    public final int dtlsId;
    public final int keyLength;
    public final int saltLength;
    /** Bytes the authentication tag adds to each SRTP packet. */
    public final int tagLength;

    SrtpProfile(int dtlsId, int keyLength, int saltLength, int tagLength) {
        this.dtlsId = dtlsId;
        this.keyLength = keyLength;
        this.saltLength = saltLength;
        this.tagLength = tagLength;
    }

    public static SrtpProfile fromDtlsId(int id) {
        for (SrtpProfile p : values()) {
            if (p.dtlsId == id) {
                return p;
            }
        }
        throw new IllegalArgumentException("unsupported SRTP protection profile 0x" + Integer.toHexString(id));
    }
}
