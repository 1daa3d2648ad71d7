package org.huisclos.media.srtp;

import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES counter mode on one reusable ECB cipher, without per-packet allocation. Counter blocks are written into a
 * scratch buffer, encrypted by a single {@code Cipher.update} call per chunk (so the JDK's AES intrinsics do the
 * work), then XORed onto the data.
 *
 * <p>The counter is the low 32 bits of the 16-byte block, big-endian. That fits both users: AES-CM (RFC 3711
 * §4.1.1, whose IV has 16 zero low bits, so no carry can leave them for packets under 1 MiB) and GCM's inc32.
 */
final class AesCtr {
    private static final int CHUNK = 1024;

    private final Cipher aes;
    private final byte[] counters = new byte[CHUNK];
    private final byte[] keystream = new byte[CHUNK];

    AesCtr(byte[] key) {
        try {
            aes = Cipher.getInstance("AES/ECB/NoPadding");
            aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES unavailable", e);
        }
    }

    /** One raw AES block: {@code out = E(K, in)}. */
    void encryptBlock(byte[] in, int inOff, byte[] out, int outOff) {
        try {
            aes.update(in, inOff, 16, out, outOff);
        } catch (ShortBufferException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * XORs {@code len} bytes at {@code buf[off]} with E(K, iv + i) for block i = 0, 1, ...; the addition is
     * modulo 2^32 on the last four bytes of {@code iv}, which is left unchanged.
     */
    void apply(byte[] iv, byte[] buf, int off, int len) {
        int counter = Bytes.getInt(iv, 12);
        while (len > 0) {
            int n = Math.min(len, CHUNK);
            int blocks = (n + 15) >>> 4;
            for (int b = 0, p = 0; b < blocks; b++, p += 16) {
                System.arraycopy(iv, 0, counters, p, 12);
                Bytes.putInt(counters, p + 12, counter++);
            }
            try {
                aes.update(counters, 0, blocks << 4, keystream, 0);
            } catch (ShortBufferException e) {
                throw new IllegalStateException(e);
            }
            for (int i = 0; i < n; i++) {
                buf[off + i] ^= keystream[i];
            }
            off += n;
            len -= n;
        }
    }
}
