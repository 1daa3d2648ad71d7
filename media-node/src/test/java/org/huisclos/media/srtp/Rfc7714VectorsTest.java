package org.huisclos.media.srtp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * RFC 7714 §16 (SRTP) and §17 (SRTCP) AEAD_AES_128_GCM examples. They start from the session key and salt
 * (there is no KDF step in them), so the contexts here skip key derivation.
 */
class Rfc7714VectorsTest {
    private static final byte[] KEY = Hex.decode("000102030405060708090a0b0c0d0e0f");
    /** "Quid pro quo". */
    private static final byte[] SALT = Hex.decode("517569642070726f2071756f");

    /** SSRC 0x5501a0b2, SEQ 0xf17b, ROC 0; payload "Gallia est omnis divisa in partes tres". */
    private static final byte[] RTP = Hex.decode("8040f17b 8041f8d3 5501a0b2 47616c6c 69612065 7374206f 6d6e6973"
            + "20646976 69736120 696e2070 61727465 73207472 6573");
    private static final byte[] SRTP = Hex.decode("8040f17b 8041f8d3 5501a0b2"
            + "f24de3a3 fb34de6c acba861c 9d7e4bca be633bd5 0d294e6f 42a5f47a 51c7d19b 36de3adf 8833"
            + "899d7f27 beb16a91 52cf765e e4390cce");

    /** Sender report from SSRC "Mars", SRTCP index 0x5d4. */
    private static final byte[] RTCP = Hex.decode("81c8000d 4d617273 4e545031 4e545032 52545020 0000042a"
            + "0000e930 4c756e61 deadbeef deadbeef deadbeef deadbeef deadbeef");
    private static final byte[] SRTCP = Hex.decode("81c8000d 4d617273"
            + "63e94885 dcdab67c a727d766 2f6b7e99 7ff5c0f7 6c06f32d c676a5f1 730d6fda 4ce09b46 86303ded 0bb9275b"
            + "c84aa458 96cf4d2f c5abf872 45d9eade" // tag
            + "800005d4"); // E = 1 | index
    private static final int MARS = 0x4d617273;

    private static SrtpContext context() {
        return SrtpContext.fromSessionKeys(SrtpProfile.AEAD_AES_128_GCM, KEY, SALT, null);
    }

    @Test
    void rfc7714Section16_srtpAeadAes128GcmEncryption() {
        byte[] buf = Arrays.copyOf(RTP, 128);
        int len = context().protectRtp(buf, 0, RTP.length);
        assertEquals(Hex.encode(SRTP), Hex.encode(buf, 0, len));
    }

    @Test
    void rfc7714Section16_srtpAeadAes128GcmDecryption() {
        byte[] buf = Arrays.copyOf(SRTP, 128);
        int len = context().unprotectRtp(buf, 0, SRTP.length);
        assertEquals(Hex.encode(RTP), Hex.encode(buf, 0, len));
    }

    @Test
    void rfc7714Section16_atNonZeroOffset() {
        byte[] buf = new byte[200];
        System.arraycopy(RTP, 0, buf, 37, RTP.length);
        int len = context().protectRtp(buf, 37, RTP.length);
        assertEquals(Hex.encode(SRTP), Hex.encode(buf, 37, len));
        assertEquals(RTP.length, context().unprotectRtp(buf, 37, len));
        assertEquals(Hex.encode(RTP), Hex.encode(buf, 37, RTP.length));
    }

    @Test
    void rfc7714Section17_srtcpAeadAes128GcmEncryption() {
        SrtpContext ctx = context();
        ctx.setNextSrtcpIndex(MARS, 0x5d4);
        byte[] buf = Arrays.copyOf(RTCP, 128);
        int len = ctx.protectRtcp(buf, 0, RTCP.length);
        assertEquals(Hex.encode(SRTCP), Hex.encode(buf, 0, len));
    }

    @Test
    void rfc7714Section17_srtcpAeadAes128GcmDecryption() {
        byte[] buf = Arrays.copyOf(SRTCP, 128);
        int len = context().unprotectRtcp(buf, 0, SRTCP.length);
        assertEquals(Hex.encode(RTCP), Hex.encode(buf, 0, len));
    }

    /** §17.3: authentication only (E = 0); the whole RTCP packet plus the E|index word is the AAD. */
    @Test
    void rfc7714Section17_3_srtcpTagOnlyVerification() {
        byte[] wire = Hex.decode(Hex.encode(RTCP) + "841dd968 3dd78ec9 2ae58790 125f62b3" + "000005d4");
        byte[] buf = Arrays.copyOf(wire, 128);
        int len = context().unprotectRtcp(buf, 0, wire.length);
        assertEquals(Hex.encode(RTCP), Hex.encode(buf, 0, len));
        buf = Arrays.copyOf(wire, 128);
        buf[20] ^= 1;
        assertEquals(SrtpContext.ERR_AUTH, context().unprotectRtcp(buf, 0, wire.length));
    }

    /**
     * RFC 7714 §11 reuses the RFC 3711 KDF but has no vector for it. This value is what libsrtp-compatible
     * stacks derive (12-byte master salt zero-extended to 14 bytes); it pins our reading for interoperability.
     */
    @Test
    void rfc7714Section11_kdfWithTwelveByteSaltMatchesLibsrtpLayout() {
        byte[] key = Hex.decode("000102030405060708090a0b0c0d0e0f");
        byte[] salt = Hex.decode("404142434445464748494a4b");
        SrtpKeyDerivation kdf = new SrtpKeyDerivation(key, salt);
        assertEquals("1fcd5d561e66dc49ec1c3ccb", Hex.encode(kdf.derive(SrtpKeyDerivation.LABEL_RTP_SALT, 12)));
    }
}
