package org.huisclos.media.transport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The media node's one TCP port for ICE-TCP (RFC 6544): browsers behind networks that block UDP
 * open a connection here to the passive host candidate and carry STUN, DTLS and SRTP over it,
 * framed as RFC 4571 says. One selector thread accepts, reads and finishes pending writes; every
 * de-framed packet goes to the {@link TcpPacketHandler} on that thread, as UDP datagrams go to the
 * UDP handler on the UDP thread.
 *
 * <p>Why plain NIO and not a Netty/Vert.x NetServer: it is the same model as {@link UdpTransport}
 * (our own thread, our own reused arrays), reads go straight into the connection's frame buffer and
 * packets are handed on in place, so the receive path allocates nothing and nothing is
 * reference-counted; a Netty pipeline would hand us pooled ByteBufs to copy out of and release, and
 * its event loop would be a second threading model for the same demultiplexer.
 *
 * <p>Limits: at most {@link #MAX_CONNECTIONS} connections; one that has not passed a STUN check
 * within {@link #UNCHECKED_TIMEOUT_NANOS} is closed, so idle or hostile connections cost little.
 */
public final class TcpTransport implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(TcpTransport.class.getName());
    static final int MAX_CONNECTIONS = 10_000;
    static final long UNCHECKED_TIMEOUT_NANOS = 10_000_000_000L;
    private static final long SWEEP_MILLIS = 1000;

    private final ServerSocketChannel server;
    private final Selector selector;
    private final TcpPacketHandler handler;
    private final DropCounters drops;
    private final Thread ioThread;
    private final ConcurrentLinkedQueue<TcpConnection> changes = new ConcurrentLinkedQueue<>();
    private final List<TcpConnection> connections = new ArrayList<>(); // selector thread only
    private volatile boolean closed;
    private long lastSweepNanos = System.nanoTime();
    private TcpConnection reading; // selector thread only: the connection whose frames the sink hands on
    private final FrameReader.Sink sink;
    private final java.util.function.Consumer<SelectionKey> onReady;

    private TcpTransport(ServerSocketChannel server, Selector selector, TcpPacketHandler handler, DropCounters drops) {
        this.server = server;
        this.selector = selector;
        this.handler = handler;
        this.drops = drops;
        this.sink = (buf, off, len) -> handler.onPacket(buf, off, len, reading);
        this.onReady = this::onReady;
        this.ioThread = new Thread(this::loop, "media-tcp");
        this.ioThread.setDaemon(true);
    }

    /** Binds the port and starts the selector thread; fails with a message naming the port if it is taken. */
    public static TcpTransport bind(InetSocketAddress local, TcpPacketHandler handler, DropCounters drops)
            throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open();
        Selector selector;
        try {
            server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            server.bind(local, 256);
            server.configureBlocking(false);
            selector = Selector.open();
            server.register(selector, SelectionKey.OP_ACCEPT);
        } catch (IOException e) {
            server.close();
            throw new IOException("cannot bind the media TCP port " + local.getPort()
                    + " (" + e.getMessage() + "): is another process using it? Set HUISCLOS_MEDIA_TCP_PORT", e);
        }
        TcpTransport transport = new TcpTransport(server, selector, handler, drops);
        transport.ioThread.start();
        return transport;
    }

    public int port() {
        try {
            return ((InetSocketAddress) server.getLocalAddress()).getPort();
        } catch (IOException e) {
            return -1;
        }
    }

    public boolean isOpen() {
        return !closed && server.isOpen();
    }

    /** Connections open now (for tests and metrics); approximate when read off the selector thread. */
    public int connectionCount() {
        return connections.size();
    }

    /** A connection's write interest changed; any thread. */
    void wantWrite(TcpConnection c) {
        changes.add(c);
        selector.wakeup();
    }

    /** A write failed on some thread: close on the selector thread. */
    void closeLater(TcpConnection c) {
        c.close();
        changes.add(c);
        selector.wakeup();
    }

    private void loop() {
        while (!closed) {
            try {
                // select(action) hands each ready key straight over: no selected-key set to fill (its
                // HashSet allocates a node per ready key) and no iterator.
                selector.select(onReady, SWEEP_MILLIS);
                applyChanges();
                sweep();
            } catch (ClosedSelectorException e) {
                return;
            } catch (IOException e) {
                if (!closed) {
                    LOG.log(System.Logger.Level.WARNING, "media TCP selector failed: " + e.getMessage());
                }
            } catch (RuntimeException e) {
                // A bug in handling one packet must not stop the node.
                LOG.log(System.Logger.Level.ERROR, "media TCP packet handling failed", e);
            }
        }
    }

    private void onReady(SelectionKey key) {
        if (!key.isValid()) {
            return;
        }
        try {
            if (key.isAcceptable()) {
                accept();
            } else {
                TcpConnection c = (TcpConnection) key.attachment();
                if (key.isReadable()) {
                    read(c);
                }
                if (key.isValid() && key.isWritable()) {
                    c.onWritable();
                    updateInterest(c);
                }
            }
        } catch (IOException e) {
            if (!closed) {
                LOG.log(System.Logger.Level.WARNING, "media TCP accept failed: " + e.getMessage());
            }
        }
    }

    private void accept() throws IOException {
        SocketChannel ch;
        while ((ch = server.accept()) != null) {
            if (connections.size() >= MAX_CONNECTIONS) {
                ch.close();
                continue;
            }
            try {
                ch.configureBlocking(false);
                ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                TcpConnection c = new TcpConnection(this, ch, (InetSocketAddress) ch.getRemoteAddress(), drops);
                c.key = ch.register(selector, SelectionKey.OP_READ, c);
                connections.add(c);
            } catch (IOException e) {
                ch.close();
            }
        }
    }

    private void read(TcpConnection c) {
        FrameReader reader = c.reader;
        int n;
        try {
            n = c.channel.read(reader.readBuffer());
        } catch (IOException e) {
            n = -1;
        }
        if (n < 0) {
            closeNow(c);
            return;
        }
        reading = c;
        if (!reader.read(n, sink)) {
            drops.drop(DropReason.TCP_BAD_FRAMING);
            closeNow(c);
        }
    }

    private void applyChanges() {
        TcpConnection c;
        while ((c = changes.poll()) != null) {
            if (!c.isOpen()) {
                closeNow(c);
            } else {
                updateInterest(c);
            }
        }
    }

    private void updateInterest(TcpConnection c) {
        SelectionKey key = c.key;
        if (key != null && key.isValid()) {
            key.interestOps(c.writePending() ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ);
        }
    }

    private void closeNow(TcpConnection c) {
        c.close();
        if (connections.remove(c)) {
            handler.onClosed(c);
        }
    }

    /** Once a second: close connections that never passed a STUN check. */
    private void sweep() {
        long now = System.nanoTime();
        if (now - lastSweepNanos < SWEEP_MILLIS * 1_000_000L) {
            return;
        }
        lastSweepNanos = now;
        for (int i = connections.size() - 1; i >= 0; i--) {
            TcpConnection c = connections.get(i);
            if (!c.isOpen() || (c.endpoint == null && now - c.acceptedNanos > UNCHECKED_TIMEOUT_NANOS)) {
                closeNow(c);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        selector.wakeup();
        try {
            ioThread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (TcpConnection c : connections) {
            c.close();
        }
        try {
            selector.close();
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
