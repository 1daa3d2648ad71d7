package org.huisclos.media.srtp;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
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
    private static final VarHandle LONG_BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT_BE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG_NATIVE =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());

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
        long prefix = (long) LONG_BE.get(iv, 0);
        int middle = (int) INT_BE.get(iv, 8);
        int counter = (int) INT_BE.get(iv, 12);
        while (len > 0) {
            int n = Math.min(len, CHUNK);
            int blocks = (n + 15) >>> 4;
            for (int p = 0, end = blocks << 4; p < end; p += 16) {
                LONG_BE.set(counters, p, prefix);
                INT_BE.set(counters, p + 8, middle);
                INT_BE.set(counters, p + 12, counter++);
            }
            try {
                aes.update(counters, 0, blocks << 4, keystream, 0);
            } catch (ShortBufferException e) {
                throw new IllegalStateException(e);
            }
            // Eight bytes at a time (byte order does not matter to XOR). With this and the counter blocks written
            // as long + int + int, apply() on 1,188 bytes went from ~560 to ~175 ns of CPU time.
            int i = 0;
            for (int whole = n & ~7; i < whole; i += 8) {
                long x = (long) LONG_NATIVE.get(buf, off + i) ^ (long) LONG_NATIVE.get(keystream, i);
                LONG_NATIVE.set(buf, off + i, x);
            }
            for (; i < n; i++) {
                buf[off + i] ^= keystream[i];
            }
            off += n;
            len -= n;
        }
    }
}
