package org.huisclos.media.transport;

/**
 * Cuts a TCP byte stream into packets framed as RFC 4571 says (ICE-TCP, RFC 6544 §3): a 2-byte
 * big-endian length before every packet. Holds the bytes of an unfinished frame between reads.
 * A length of zero or above {@link #MAX_PACKET} is not something WebRTC sends (a STUN, DTLS or SRTP
 * packet always fits in {@link SendBuffer#SIZE}): the stream is garbage and the connection must close.
 */
public final class FrameReader {
    /** The largest packet accepted; larger lengths close the connection. */
    public static final int MAX_PACKET = SendBuffer.SIZE;

    /** Receives each whole packet; {@code buf} is valid only during the call and may be modified in place. */
    public interface Sink {
        void onFrame(byte[] buf, int off, int len);
    }

    /** Room for one whole frame: what a connection reads into until it has passed a STUN check. */
    public static final int SMALL_BYTES = 2 + MAX_PACKET;
    /**
     * Room for one whole frame plus a dozen more: reads go straight in here (several packets per
     * system call under load), frames are handed out in place.
     */
    public static final int FULL_BYTES = 2 + MAX_PACKET + 16 * 1024;

    private byte[] buffer;
    private java.nio.ByteBuffer wrapper;
    private int filled;

    /** A reader with the full buffer. */
    public FrameReader() {
        this(FULL_BYTES);
    }

    /** @param bytes at least {@link #SMALL_BYTES}, so that any frame fits */
    public FrameReader(int bytes) {
        if (bytes < SMALL_BYTES) {
            throw new IllegalArgumentException("a frame reader needs at least " + SMALL_BYTES + " bytes: " + bytes);
        }
        buffer = new byte[bytes];
        wrapper = java.nio.ByteBuffer.wrap(buffer);
    }

    /** The buffer's size now. */
    public int capacity() {
        return buffer.length;
    }

    /** Moves to the full buffer, keeping the bytes of an unfinished frame (once, when a connection is checked). */
    public void grow() {
        if (buffer.length >= FULL_BYTES) {
            return;
        }
        byte[] bigger = new byte[FULL_BYTES];
        System.arraycopy(buffer, 0, bigger, 0, filled);
        buffer = bigger;
        wrapper = java.nio.ByteBuffer.wrap(bigger);
    }

    /** The free part of the buffer as a ByteBuffer to read into (the same object every time: no allocation). */
    public java.nio.ByteBuffer readBuffer() {
        wrapper.limit(buffer.length).position(filled);
        return wrapper;
    }

    /** The array to read into, from {@link #writeOffset()} for at most {@link #writable()} bytes. */
    public byte[] array() {
        return buffer;
    }

    public int writeOffset() {
        return filled;
    }

    public int writable() {
        return buffer.length - filled;
    }

    /**
     * Takes {@code n} bytes just read into {@link #array()} at {@link #writeOffset()}, hands every
     * whole frame to {@code sink}, and keeps the rest. False when the stream is not RFC 4571 framed
     * WebRTC (a bad length): close the connection.
     */
    public boolean read(int n, Sink sink) {
        filled += n;
        int pos = 0;
        while (filled - pos >= 2) {
            int len = ((buffer[pos] & 0xff) << 8) | (buffer[pos + 1] & 0xff);
            if (len == 0 || len > MAX_PACKET) {
                filled = 0;
                return false;
            }
            if (filled - pos - 2 < len) {
                break;
            }
            sink.onFrame(buffer, pos + 2, len);
            pos += 2 + len;
        }
        if (pos > 0) {
            System.arraycopy(buffer, pos, buffer, 0, filled - pos);
            filled -= pos;
        }
        return true;
    }

    /** Copies {@code len} bytes of {@code src} into this reader as if read from the socket (for tests). */
    public boolean feed(byte[] src, int off, int len, Sink sink) {
        while (len > 0) {
            int n = Math.min(len, writable());
            System.arraycopy(src, off, buffer, filled, n);
            if (!read(n, sink)) {
                return false;
            }
            off += n;
            len -= n;
        }
        return true;
    }
}
