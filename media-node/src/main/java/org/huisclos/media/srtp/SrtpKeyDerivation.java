package org.huisclos.media.srtp;

import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/**
 * The SRTP key derivation function of RFC 3711 §4.3 with the AES-CM PRF (§4.3.3) and a key derivation rate of
 * zero, so every session key is derived once, from index 0. RFC 7714 §11 reuses it for AEAD_AES_128_GCM; the
 * 96-bit GCM master salt is zero-extended on the right to the 112 bits the PRF expects (as libsrtp and the
 * browsers do), so the label still lands in byte 7 of the PRF input.
 *
 * <p>Runs only when a context is created; allocation here is fine.
 */
final class SrtpKeyDerivation {
    static final int LABEL_RTP_ENCRYPTION = 0x00;
    static final int LABEL_RTP_AUTH = 0x01;
    static final int LABEL_RTP_SALT = 0x02;
    static final int LABEL_RTCP_ENCRYPTION = 0x03;
    static final int LABEL_RTCP_AUTH = 0x04;
    static final int LABEL_RTCP_SALT = 0x05;

    private final Cipher prf;
    private final byte[] salt112 = new byte[14];

    SrtpKeyDerivation(byte[] masterKey, byte[] masterSalt) {
        if (masterSalt.length > salt112.length) {
            throw new IllegalArgumentException("master salt longer than 112 bits");
        }
        System.arraycopy(masterSalt, 0, salt112, 0, masterSalt.length);
        try {
            prf = Cipher.getInstance("AES/ECB/NoPadding");
            prf.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(masterKey, "AES"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES unavailable", e);
        }
    }

    /** Derives {@code length} bytes of session key material for one label (RFC 3711 §4.3.1). */
    byte[] derive(int label, int length) {
        // x = key_id XOR master_salt with key_id = label || r and r = 0: only byte 7 changes.
        byte[] block = new byte[16];
        System.arraycopy(salt112, 0, block, 0, 14);
        block[7] ^= (byte) label;
        int blocks = (length + 15) / 16;
        byte[] in = new byte[blocks * 16];
        for (int i = 0; i < blocks; i++) {
            // The PRF is AES in counter mode over x * 2^16: the low 16 bits count blocks.
            block[14] = (byte) (i >>> 8);
            block[15] = (byte) i;
            System.arraycopy(block, 0, in, i * 16, 16);
        }
        try {
            byte[] out = prf.doFinal(in);
            byte[] key = new byte[length];
            System.arraycopy(out, 0, key, 0, length);
            return key;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
