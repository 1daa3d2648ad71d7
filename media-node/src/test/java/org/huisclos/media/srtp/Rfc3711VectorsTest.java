package org.huisclos.media.srtp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Known answers for AES_CM_128_HMAC_SHA1_80: RFC 3711 Appendix B, plus libsrtp's reference packet. */
class Rfc3711VectorsTest {
    private static final byte[] MASTER_KEY = Hex.decode("E1F97A0D3E018BE0D64FA32C06DE4139");
    private static final byte[] MASTER_SALT = Hex.decode("0EC675AD498AFEEBB6960B3AABE6");

    private static final String B2_KEYSTREAM = "E03EAD0935C95E80E166B16DD92B4EB4"
            + "D23513162B02D0F72A43A2FE4A5F97AB"
            + "41E95B3BB0A2E8DD477901E4FCA894C0";

    @Test
    void rfc3711AppendixB2_aesCmKeystreamSegment() {
        AesCtr ctr = new AesCtr(Hex.decode("2B7E151628AED2A6ABF7158809CF4F3C"));
        // Session salt F0F1..FCFD shifted left 16 bits; SSRC and index are 0.
        byte[] iv = Hex.decode("F0F1F2F3F4F5F6F7F8F9FAFBFCFD0000");
        byte[] data = new byte[48];
        ctr.apply(iv, data, 0, data.length);
        assertEquals(B2_KEYSTREAM.toLowerCase(), Hex.encode(data));
    }

    @Test
    void rfc3711AppendixB2_keystreamThroughAnSrtpPacket() {
        SrtpContext ctx = SrtpContext.fromSessionKeys(SrtpProfile.AES_CM_128_HMAC_SHA1_80,
                Hex.decode("2B7E151628AED2A6ABF7158809CF4F3C"), Hex.decode("F0F1F2F3F4F5F6F7F8F9FAFBFCFD"),
                new byte[20]);
        byte[] packet = new byte[12 + 48 + 10];
        packet[0] = (byte) 0x80; // V=2, seq 0, SSRC 0: index 0; a zero payload encrypts to the keystream
        assertEquals(70, ctx.protectRtp(packet, 0, 60));
        assertEquals(B2_KEYSTREAM.toLowerCase(), Hex.encode(packet, 12, 48));
    }

    @Test
    void rfc3711AppendixB3_keyDerivation() {
        SrtpKeyDerivation kdf = new SrtpKeyDerivation(MASTER_KEY, MASTER_SALT);
        assertEquals("c61e7a93744f39ee10734afe3ff7a087",
                Hex.encode(kdf.derive(SrtpKeyDerivation.LABEL_RTP_ENCRYPTION, 16)));
        assertEquals("30cbbc08863d8c85d49db34a9ae1", Hex.encode(kdf.derive(SrtpKeyDerivation.LABEL_RTP_SALT, 14)));
        assertEquals(("CEBE321F6FF7716B6FD4AB49AF256A15"
                + "6D38BAA48F0A0ACF3C34E2359E6CDBCE"
                + "E049646C43D9327AD175578EF7227098"
                + "6371C10C9A369AC2F94A8C5FBCDDDC25"
                + "6D6E919A48B610EF17C2041E47403576"
                + "6B68642C59BBFC2F34DB60DBDFB2").toLowerCase(),
                Hex.encode(kdf.derive(SrtpKeyDerivation.LABEL_RTP_AUTH, 94)));
    }

    /**
     * Not from the RFC: libsrtp's published reference packet for this profile with the Appendix B.3 master key.
     * It checks KDF, IV, HMAC input (ROC appended) and tag truncation together, byte for byte.
     */
    @Test
    void libsrtpReferencePacket_srtpAndSrtcp() {
        byte[] rtp = Hex.decode("800f1234decafbadcafebabe abababababababababababababababab");
        String srtp = "800f1234decafbadcafebabe 4e55dc4ce79978d88ca4d215949d2402 b78d6acc99ea179b8dbb";
        SrtpContext sender = new SrtpContext(SrtpProfile.AES_CM_128_HMAC_SHA1_80, MASTER_KEY, MASTER_SALT);
        byte[] buf = Arrays.copyOf(rtp, 64);
        int len = sender.protectRtp(buf, 0, rtp.length);
        assertEquals(Hex.encode(Hex.decode(srtp)), Hex.encode(buf, 0, len));

        SrtpContext receiver = new SrtpContext(SrtpProfile.AES_CM_128_HMAC_SHA1_80, MASTER_KEY, MASTER_SALT);
        assertEquals(rtp.length, receiver.unprotectRtp(buf, 0, len));
        assertEquals(Hex.encode(rtp), Hex.encode(buf, 0, rtp.length));

        // libsrtp numbers its first SRTCP packet 1.
        byte[] rtcp = Hex.decode("81c8000bcafebabe abababababababababababababababab");
        String srtcp = "81c8000bcafebabe 7128035be487b9bdbef89041f977a5a8 80000001 993e08cd54d6c1230798";
        sender.setNextSrtcpIndex(0xcafebabe, 1);
        buf = Arrays.copyOf(rtcp, 64);
        len = sender.protectRtcp(buf, 0, rtcp.length);
        assertEquals(Hex.encode(Hex.decode(srtcp)), Hex.encode(buf, 0, len));
        assertEquals(rtcp.length, receiver.unprotectRtcp(buf, 0, len));
        assertEquals(Hex.encode(rtcp), Hex.encode(buf, 0, rtcp.length));
    }
}
