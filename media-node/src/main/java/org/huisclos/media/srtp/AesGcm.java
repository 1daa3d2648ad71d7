package org.huisclos.media.srtp;

import org.bouncycastle.crypto.modes.gcm.GCMMultiplier;
import org.bouncycastle.crypto.modes.gcm.Tables4kGCMMultiplier;

/**
 * AES-GCM (NIST SP 800-38D) with a 96-bit IV and 128-bit tag, as a small state machine over reusable buffers.
 * The JDK's GCM cipher needs a fresh {@code GCMParameterSpec} and {@code init} per packet, so instead the
 * keystream comes from {@link AesCtr} and GHASH from Bouncy Castle's table multiplier (allocation-free
 * {@code multiplyH}).
 *
 * <p>Per message: {@link #begin}, any number of {@link #aad} calls, then exactly one of {@link #encrypt} or
 * ({@link #authenticateCiphertext} followed by {@link #decrypt} once the tag has been checked), then
 * {@link #tag} or {@link #verify}.
 */
final class AesGcm {
    static final int TAG_LENGTH = 16;

    private final AesCtr ctr;
    private final GCMMultiplier multiplier = new Tables4kGCMMultiplier();
    /** J0 = IV || 0x00000001. */
    private final byte[] j0 = new byte[16];
    /** inc32(J0): the first counter block for data. */
    private final byte[] dataCounter = new byte[16];
    private final byte[] ghash = new byte[16];
    private final byte[] scratch = new byte[16];
    private int pending;
    private long aadLength;
    private long textLength;

    AesGcm(byte[] key) {
        ctr = new AesCtr(key);
        byte[] h = new byte[16];
        ctr.encryptBlock(h, 0, h, 0);
        multiplier.init(h);
    }

    void begin(byte[] iv, int ivOff) {
        System.arraycopy(iv, ivOff, j0, 0, 12);
        Bytes.putInt(j0, 12, 1);
        System.arraycopy(iv, ivOff, dataCounter, 0, 12);
        Bytes.putInt(dataCounter, 12, 2);
        java.util.Arrays.fill(ghash, (byte) 0);
        pending = 0;
        aadLength = 0;
        textLength = 0;
    }

    /** Additional authenticated data; consecutive calls are hashed as one concatenated string. */
    void aad(byte[] b, int off, int len) {
        absorb(b, off, len);
        aadLength += len;
    }

    void encrypt(byte[] b, int off, int len) {
        ctr.apply(dataCounter, b, off, len);
        authenticateCiphertext(b, off, len);
    }

    /** Hashes ciphertext without decrypting it, so the tag can be checked before the buffer changes. */
    void authenticateCiphertext(byte[] b, int off, int len) {
        closeBlock();
        absorb(b, off, len);
        textLength += len;
    }

    void decrypt(byte[] b, int off, int len) {
        ctr.apply(dataCounter, b, off, len);
    }

    /** Writes the 16-byte tag to {@code out[outOff]}. */
    void tag(byte[] out, int outOff) {
        finishInto(scratch);
        System.arraycopy(scratch, 0, out, outOff, TAG_LENGTH);
    }

    /** Constant-time check of the tag at {@code b[off]}. */
    boolean verify(byte[] b, int off) {
        finishInto(scratch);
        return Bytes.constantTimeEquals(scratch, 0, b, off, TAG_LENGTH);
    }

    private void finishInto(byte[] out) {
        closeBlock();
        long aadBits = aadLength << 3;
        long textBits = textLength << 3;
        for (int i = 0; i < 8; i++) {
            ghash[i] ^= (byte) (aadBits >>> (56 - 8 * i));
            ghash[8 + i] ^= (byte) (textBits >>> (56 - 8 * i));
        }
        multiplier.multiplyH(ghash);
        ctr.encryptBlock(j0, 0, out, 0);
        for (int i = 0; i < 16; i++) {
            out[i] ^= ghash[i];
        }
    }

    /** GHASH: X = (X xor block) * H, one 16-byte block at a time; a partial block waits in {@code ghash}. */
    private void absorb(byte[] b, int off, int len) {
        int end = off + len;
        while (off < end) {
            if (pending == 0 && end - off >= 16) {
                for (int i = 0; i < 16; i++) {
                    ghash[i] ^= b[off + i];
                }
                multiplier.multiplyH(ghash);
                off += 16;
                continue;
            }
            ghash[pending++] ^= b[off++];
            if (pending == 16) {
                multiplier.multiplyH(ghash);
                pending = 0;
            }
        }
    }

    /** AAD and ciphertext are each zero-padded to a whole block before the next part starts. */
    private void closeBlock() {
        if (pending != 0) {
            multiplier.multiplyH(ghash);
            pending = 0;
        }
    }
}
