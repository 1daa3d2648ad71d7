package org.huisclos.media.transport;

import java.nio.ByteBuffer;

/**
 * A byte array and the ByteBuffer that wraps it, made once per sending thread so that sending a
 * datagram wraps nothing. Not thread-safe: one per thread.
 */
public final class SendBuffer {
    /** Large enough for any datagram we forward plus an SRTP tag. */
    public static final int SIZE = 2048;

    public final byte[] bytes = new byte[SIZE];
    final ByteBuffer buffer = ByteBuffer.wrap(bytes);
}
