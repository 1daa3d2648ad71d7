package org.huisclos.media.transport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * One ICE-TCP connection (RFC 6544, passive side) on the media node's TCP port: RFC 4571 framing
 * both ways. It is a {@link Path}: once a STUN check on it succeeds, its endpoint may send here.
 *
 * <p>Sending: any thread; the frame is copied into this connection's direct output buffer (made
 * at the first send, which is the answer to its first valid STUN check) and
 * written at once if the socket takes it, otherwise by the selector thread when it becomes
 * writable. When the buffer is full (a slow or stalled reader), the packet is dropped and counted
 * ({@link DropReason#TCP_BACKPRESSURE}): real-time media is better lost than late, and no thread
 * ever blocks on a peer.
 */
public final class TcpConnection implements Path {
    /** Output queued per connection: about 40 full-size packets, a few hundred ms of video. */
    static final int OUTPUT_BYTES = 64 * 1024;

    final SocketChannel channel;
    /** Small until the connection passes a STUN check, then full size (selector thread only). */
    final FrameReader reader = new FrameReader(FrameReader.SMALL_BYTES);
    final long acceptedNanos = System.nanoTime();
    /** Counted against its address's unchecked connections until its first STUN check passes (selector thread only). */
    boolean unchecked = true;
    private final TcpTransport transport;
    private final DropCounters drops;
    private final InetSocketAddress remote;
    /**
     * Made at the first send, in write mode, under this. Nothing is sent on a connection before its
     * first valid STUN check (the answer to it is the first packet), so an unchecked connection holds
     * no direct memory.
     */
    private ByteBuffer output;
    SelectionKey key;
    private boolean writePending; // under this
    private volatile boolean closed;
    /** The endpoint whose STUN check this connection passed; set by the demultiplexer, on the selector thread. */
    public volatile Object endpoint;

    TcpConnection(TcpTransport transport, SocketChannel channel, InetSocketAddress remote, DropCounters drops) {
        this.transport = transport;
        this.channel = channel;
        this.remote = remote;
        this.drops = drops;
    }

    /** The peer's address and port, as XOR-MAPPED-ADDRESS reports it. */
    public InetSocketAddress remoteAddress() {
        return remote;
    }

    @Override
    public void send(SendBuffer out, int len) {
        if (len <= 0 || len > 0xffff) {
            return;
        }
        synchronized (this) {
            if (closed) {
                return;
            }
            if (output == null) {
                output = ByteBuffer.allocateDirect(OUTPUT_BYTES); // once per connection, after its check
            }
            if (output.remaining() < len + 2) {
                drops.drop(DropReason.TCP_BACKPRESSURE);
                return;
            }
            output.put((byte) (len >>> 8)).put((byte) len).put(out.bytes, 0, len);
            if (!writePending) {
                flushLocked();
            }
        }
    }

    /** Writes what the socket takes; asks the selector for OP_WRITE when some is left. Under this. */
    private void flushLocked() {
        output.flip();
        try {
            channel.write(output);
            output.compact();
        } catch (IOException e) {
            output.clear();
            transport.closeLater(this);
            return;
        }
        boolean left = output.position() > 0;
        if (left != writePending) {
            writePending = left;
            transport.wantWrite(this);
        }
    }

    /** On the selector thread when the socket is writable. */
    void onWritable() {
        synchronized (this) {
            if (!closed && writePending) {
                writePending = false;
                flushLocked();
            }
        }
    }

    /** Whether the direct output buffer was made (for tests: only once something was sent). */
    synchronized boolean hasOutputBuffer() {
        return output != null;
    }

    /** Whether the selector should watch for OP_WRITE. */
    synchronized boolean writePending() {
        return writePending;
    }

    @Override
    public boolean isOpen() {
        return !closed;
    }

    /** Closes the socket; any thread. */
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public String toString() {
        return "tcp";
    }
}
