package org.huisclos.bench;

import org.jitsi.utils.ByteArrayBuffer;

/** A minimal {@link ByteArrayBuffer} over one byte array, as jitsi-srtp's transform API needs. */
final class PacketBuffer implements ByteArrayBuffer {
    private byte[] buf;
    private int off;
    private int len;

    PacketBuffer(byte[] buf, int off, int len) {
        this.buf = buf;
        this.off = off;
        this.len = len;
    }

    void setBuffer(byte[] buf) {
        this.buf = buf;
    }

    void reset(int off, int len) {
        this.off = off;
        this.len = len;
    }

    @Override public byte[] getBuffer() { return buf; }
    @Override public int getOffset() { return off; }
    @Override public int getLength() { return len; }
    @Override public void setLength(int length) { this.len = length; }
    @Override public void setOffset(int offset) { this.off = offset; }
    @Override public boolean isInvalid() { return false; }

    @Override
    public void readRegionToBuff(int regionOff, int regionLen, byte[] out) {
        System.arraycopy(buf, off + regionOff, out, 0, regionLen);
    }

    @Override
    public void grow(int howMuch) {
        // Ensures room for howMuch more bytes after the current data (reallocates only if the array is too small).
        int need = off + len + howMuch;
        if (need > buf.length) {
            byte[] bigger = new byte[need];
            System.arraycopy(buf, 0, bigger, 0, buf.length);
            buf = bigger;
        }
    }

    @Override
    public void append(byte[] data, int length) {
        grow(length);
        System.arraycopy(data, 0, buf, off + len, length);
        len += length;
    }

    @Override
    public void shrink(int howMuch) {
        len = howMuch >= len ? 0 : len - howMuch;
    }
}
