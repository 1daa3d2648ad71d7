package org.huisclos.media.srtp;

import org.huisclos.media.bytes.Bytes;

/**
 * AES-GCM (NIST SP 800-38D) with a 96-bit IV and 128-bit tag, as a small state machine over reusable buffers.
 * The JDK's GCM cipher needs a fresh {@code GCMParameterSpec} and {@code init} per packet, so instead the
 * keystream comes from {@link AesCtr} and GHASH from {@link Ghash}.
 *
 * <p>Per message: {@link #begin}, any number of {@link #aad} calls, then exactly one of {@link #encrypt} or
 * ({@link #authenticateCiphertext} followed by {@link #decrypt} once the tag has been checked), then
 * {@link #tag} or {@link #verify}.
 */
final class AesGcm {
    static final int TAG_LENGTH = 16;

    private final AesCtr ctr;
    private final Ghash ghash;
    /** J0 = IV || 0x00000001. */
    private final byte[] j0 = new byte[16];
    /** inc32(J0): the first counter block for data. */
    private final byte[] dataCounter = new byte[16];
    private final byte[] scratch = new byte[16];
    /** E(K, J0), which masks the GHASH result into the tag. */
    private final byte[] j0Mask = new byte[16];
    private long aadLength;
    private long textLength;

    AesGcm(byte[] key) {
        ctr = new AesCtr(key);
        byte[] h = new byte[16];
        ctr.encryptBlock(h, 0, h, 0);
        ghash = new Ghash(h);
    }

    void begin(byte[] iv, int ivOff) {
        System.arraycopy(iv, ivOff, j0, 0, 12);
        Bytes.put32(j0, 12, 1);
        System.arraycopy(iv, ivOff, dataCounter, 0, 12);
        Bytes.put32(dataCounter, 12, 2);
        ghash.reset();
        aadLength = 0;
        textLength = 0;
    }

    /** Additional authenticated data; consecutive calls are hashed as one concatenated string. */
    void aad(byte[] b, int off, int len) {
        ghash.update(b, off, len);
        aadLength += len;
    }

    void encrypt(byte[] b, int off, int len) {
        ctr.apply(dataCounter, b, off, len);
        authenticateCiphertext(b, off, len);
    }

    /** Hashes ciphertext without decrypting it, so the tag can be checked before the buffer changes. */
    void authenticateCiphertext(byte[] b, int off, int len) {
        ghash.padBlock();
        ghash.update(b, off, len);
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
        ghash.finish(aadLength, textLength, out, 0);
        ctr.encryptBlock(j0, 0, j0Mask, 0);
        for (int i = 0; i < 16; i++) {
            out[i] ^= j0Mask[i];
        }
    }
}
