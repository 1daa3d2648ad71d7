package org.huisclos.media.dtls;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.tls.DatagramTransport;

/**
 * Adapts the SFU's push model (the I/O thread hands over each received DTLS datagram) to Bouncy Castle's
 * blocking pull model: {@link #offer} enqueues, {@link #receive} blocks the handshake worker on the queue.
 * Outgoing records go straight to the {@link DatagramSink}.
 */
public final class QueueDatagramTransport implements DatagramTransport {
    /** Largest datagram accepted; anything bigger than an Ethernet MTU is not a sane DTLS record here. */
    public static final int RECEIVE_LIMIT = 1500;
    /** Keeps handshake fragments under typical path MTUs once IP, UDP and TURN overhead are added. */
    public static final int SEND_LIMIT = 1200;
    static final int DEFAULT_CAPACITY = 64;

    /** Wakes a blocked receiver on close; identity-compared, never handed out. */
    private static final byte[] CLOSED = new byte[0];

    private final DatagramSink sink;
    private final BlockingQueue<byte[]> queue;
    private final AtomicLong dropped = new AtomicLong();
    private volatile boolean closed;

    public QueueDatagramTransport(DatagramSink sink) {
        this(sink, DEFAULT_CAPACITY);
    }

    QueueDatagramTransport(DatagramSink sink, int capacity) {
        this.sink = Objects.requireNonNull(sink, "sink");
        this.queue = new ArrayBlockingQueue<>(capacity);
    }

    /**
     * Copies a received datagram into the queue. Never blocks: the I/O thread must not stall on one endpoint,
     * so when the queue is full (or the transport closed) the datagram is dropped and counted; DTLS retransmits.
     *
     * @return whether the datagram was queued
     */
    public boolean offer(byte[] buf, int off, int len) {
        Objects.checkFromIndexSize(off, len, buf.length);
        if (closed || len > RECEIVE_LIMIT || !queue.offer(Arrays.copyOfRange(buf, off, off + len))) {
            dropped.incrementAndGet();
            return false;
        }
        return true;
    }

    /** Whether datagrams are waiting to be read. */
    public boolean hasPending() {
        byte[] head = queue.peek();
        return head != null && head != CLOSED;
    }

    /** Datagrams dropped because the queue was full, they were too large, or the transport was closed. */
    public long droppedCount() {
        return dropped.get();
    }

    public boolean isClosed() {
        return closed;
    }

    @Override
    public int getReceiveLimit() {
        return RECEIVE_LIMIT;
    }

    @Override
    public int getSendLimit() {
        return SEND_LIMIT;
    }

    /**
     * Waits up to {@code waitMillis} for a datagram and returns its length, or -1 on timeout (as BC expects).
     * A non-positive wait only polls, so a caller can never block forever. Throws once closed so a blocked
     * handshake stops promptly instead of running into its timeout.
     */
    @Override
    public int receive(byte[] buf, int off, int len, int waitMillis) throws IOException {
        if (closed) {
            throw new IOException("DTLS transport closed");
        }
        byte[] datagram;
        try {
            datagram = waitMillis > 0 ? queue.poll(waitMillis, TimeUnit.MILLISECONDS) : queue.poll();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for a DTLS record");
        }
        if (datagram == null) {
            return -1;
        }
        if (datagram == CLOSED) {
            queue.offer(CLOSED); // leave the marker for any other waiter
            throw new IOException("DTLS transport closed");
        }
        // A truncated record fails BC's length check and is discarded, like a damaged datagram would be.
        int n = Math.min(len, datagram.length);
        System.arraycopy(datagram, 0, buf, off, n);
        return n;
    }

    @Override
    public void send(byte[] buf, int off, int len) {
        if (!closed) {
            sink.send(buf, off, len);
        }
    }

    /** Stops the transport: later sends are ignored and a blocked {@link #receive} throws. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        queue.clear();
        queue.offer(CLOSED);
    }
}
