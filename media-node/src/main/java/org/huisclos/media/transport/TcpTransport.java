package org.huisclos.media.transport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The media node's one TCP port for ICE-TCP (RFC 6544): browsers behind networks that block UDP
 * open a connection here to the passive host candidate and carry STUN, DTLS and SRTP over it,
 * framed as RFC 4571 says. One selector thread accepts, reads and finishes pending writes; every
 * de-framed packet goes to the {@link TcpPacketHandler} on that thread.
 *
 * <p>The media node hands this thread its UDP port too ({@link UdpTransport#open}): then every
 * datagram and every ICE-TCP packet is handled on this one thread ("media-io"), so the state they
 * touch (per-stream packet caches, RTX sequence numbers, STUN integrity, the demultiplexer's and
 * forwarder's buffers) has one owner and needs no lock (issue 13, item 6). Alone, the thread is
 * "media-tcp".
 *
 * <p>Why plain NIO and not a Netty/Vert.x NetServer: it is the same model as {@link UdpTransport}
 * (our own thread, our own reused arrays), reads go straight into the connection's frame buffer and
 * packets are handed on in place, so the receive path allocates nothing and nothing is
 * reference-counted; a Netty pipeline would hand us pooled ByteBufs to copy out of and release, and
 * its event loop would be a second threading model for the same demultiplexer.
 *
 * <p>Limits ({@link TcpLimits}, each refusal counted in {@link TcpRefusals}): at most
 * {@code maxConnections} open; at most {@code maxPerAddress} not yet checked from one IP address;
 * a connection that sends no valid STUN binding request within {@code checkTimeoutNanos} is closed.
 * Until its check an accepted connection holds only a small frame buffer ({@link FrameReader#SMALL_BYTES})
 * and no direct output buffer, so idle or hostile connections cost little. Whatever one connection's
 * bytes make the handler throw, even an Error, closes that connection only: the thread goes on.
 */
public final class TcpTransport implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(TcpTransport.class.getName());
    private static final long MAX_SWEEP_MILLIS = 1000;

    private final ServerSocketChannel server;
    private final Selector selector;
    private final TcpPacketHandler handler;
    private final DropCounters drops;
    private final TcpLimits limits;
    private final TcpRefusals refusals;
    /** How often unchecked connections are looked at: a quarter of the check timeout, at most a second. */
    private final long sweepMillis;
    /** Unchecked connections per remote IP address (selector thread only; an entry goes when its count is 0). */
    private final HashMap<InetAddress, int[]> unchecked = new HashMap<>();
    private final Thread ioThread;
    private final ConcurrentLinkedQueue<TcpConnection> changes = new ConcurrentLinkedQueue<>();
    private final List<TcpConnection> connections = new ArrayList<>(); // selector thread only
    private volatile boolean closed;
    private long lastSweepNanos = System.nanoTime();
    private TcpConnection reading; // selector thread only: the connection whose frames the sink hands on
    private final FrameReader.Sink sink;
    private final java.util.function.Consumer<SelectionKey> onReady;

    private TcpTransport(ServerSocketChannel server, Selector selector, TcpPacketHandler handler, DropCounters drops,
                         TcpLimits limits, TcpRefusals refusals, String threadName) {
        this.server = server;
        this.selector = selector;
        this.handler = handler;
        this.drops = drops;
        this.limits = limits;
        this.refusals = refusals;
        this.sweepMillis = Math.max(1, Math.min(MAX_SWEEP_MILLIS, limits.checkTimeoutNanos() / 4_000_000L));
        this.sink = (buf, off, len) -> handler.onPacket(buf, off, len, reading);
        this.onReady = this::onReady;
        this.ioThread = new Thread(this::loop, threadName);
        this.ioThread.setDaemon(true);
    }

    /** With the default limits and counters of its own. */
    public static TcpTransport bind(InetSocketAddress local, TcpPacketHandler handler, DropCounters drops)
            throws IOException {
        return bind(local, handler, drops, TcpLimits.DEFAULT, new TcpRefusals());
    }

    /** Without a UDP port to serve. */
    public static TcpTransport bind(InetSocketAddress local, TcpPacketHandler handler, DropCounters drops,
                                    TcpLimits limits, TcpRefusals refusals) throws IOException {
        return bind(local, handler, drops, limits, refusals, null);
    }

    /**
     * Binds the port and starts the selector thread; fails with a message naming the port if it is
     * taken. {@code udp} (made by {@link UdpTransport#open}, or null) is read on the same thread.
     */
    public static TcpTransport bind(InetSocketAddress local, TcpPacketHandler handler, DropCounters drops,
                                    TcpLimits limits, TcpRefusals refusals, UdpTransport udp) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open();
        Selector selector;
        try {
            server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            server.bind(local, 256);
            server.configureBlocking(false);
            selector = Selector.open();
            server.register(selector, SelectionKey.OP_ACCEPT);
            if (udp != null) {
                udp.register(selector);
            }
        } catch (IOException e) {
            server.close();
            throw new IOException("cannot bind the media TCP port " + local.getPort()
                    + " (" + e.getMessage() + "): is another process using it? Set HUISCLOS_MEDIA_TCP_PORT", e);
        }
        TcpTransport transport = new TcpTransport(server, selector, handler, drops, limits, refusals,
                udp == null ? "media-tcp" : "media-io");
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
                selector.select(onReady, sweepMillis);
                applyChanges();
                sweep();
            } catch (ClosedSelectorException e) {
                return;
            } catch (IOException e) {
                if (!closed) {
                    LOG.log(System.Logger.Level.WARNING, "media TCP selector failed: " + e.getMessage());
                }
            } catch (Throwable e) {
                // Not from one connection's bytes (onReady catches those): keep serving the others.
                LOG.log(System.Logger.Level.ERROR, "media TCP loop failed", e);
            }
        }
    }

    private void onReady(SelectionKey key) {
        if (!key.isValid()) {
            return;
        }
        if (key.attachment() instanceof UdpTransport udp) {
            udp.drain(); // catches what a datagram's handling throws
            return;
        }
        if (key.isAcceptable()) {
            try {
                accept();
            } catch (IOException e) {
                if (!closed) {
                    LOG.log(System.Logger.Level.WARNING, "media TCP accept failed: " + e.getMessage());
                }
            }
            return;
        }
        TcpConnection c = (TcpConnection) key.attachment();
        try {
            if (key.isReadable()) {
                read(c);
            }
            if (key.isValid() && key.isWritable()) {
                c.onWritable();
                updateInterest(c);
            }
        } catch (Throwable e) {
            // Whatever this connection's bytes did (a bug, an OutOfMemoryError), it alone pays: the rest are served.
            refusals.refuse(TcpRefusal.HANDLER_FAILED);
            LOG.log(System.Logger.Level.ERROR, "media TCP connection failed and was closed", e);
            closeQuietly(c);
        }
    }

    private void accept() throws IOException {
        SocketChannel ch;
        while ((ch = server.accept()) != null) {
            try {
                admit(ch);
            } catch (Throwable e) {
                ch.close();
                refusals.refuse(TcpRefusal.HANDLER_FAILED);
                LOG.log(System.Logger.Level.ERROR, "media TCP accept failed for one connection", e);
            }
        }
    }

    /** Registers an accepted channel, or closes it at once when a limit is reached. */
    private void admit(SocketChannel ch) throws IOException {
        if (connections.size() >= limits.maxConnections()) {
            ch.close();
            refusals.refuse(TcpRefusal.CONNECTION_LIMIT);
            return;
        }
        InetSocketAddress remote = (InetSocketAddress) ch.getRemoteAddress();
        if (remote == null) {
            ch.close(); // already reset by the peer
            return;
        }
        int[] count = unchecked.get(remote.getAddress());
        if (count != null && count[0] >= limits.maxPerAddress()) {
            ch.close();
            refusals.refuse(TcpRefusal.PER_ADDRESS_LIMIT);
            return;
        }
        try {
            ch.configureBlocking(false);
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            TcpConnection c = new TcpConnection(this, ch, remote, drops);
            c.key = ch.register(selector, SelectionKey.OP_READ, c);
            connections.add(c);
            if (count == null) {
                unchecked.put(remote.getAddress(), new int[] {1});
            } else {
                count[0]++;
            }
        } catch (IOException e) {
            ch.close();
        }
    }

    /** The connection passed its first STUN check: it no longer counts against its address, and reads in full. */
    private void checked(TcpConnection c) {
        uncount(c);
        c.reader.grow();
    }

    private void uncount(TcpConnection c) {
        if (!c.unchecked) {
            return;
        }
        c.unchecked = false;
        InetAddress a = c.remoteAddress().getAddress();
        int[] count = unchecked.get(a);
        if (count != null && --count[0] <= 0) {
            unchecked.remove(a);
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
        } else if (c.unchecked && c.endpoint != null) {
            checked(c);
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
            uncount(c);
            handler.onClosed(c);
        }
    }

    /** Closes a connection whose handling failed; a second failure while closing it is only logged. */
    private void closeQuietly(TcpConnection c) {
        try {
            closeNow(c);
        } catch (Throwable e) {
            LOG.log(System.Logger.Level.ERROR, "closing a failed media TCP connection failed", e);
        }
    }

    /** Every {@link #sweepMillis}: close connections that sent no valid STUN check in time. */
    private void sweep() {
        long now = System.nanoTime();
        if (now - lastSweepNanos < sweepMillis * 1_000_000L) {
            return;
        }
        lastSweepNanos = now;
        for (int i = connections.size() - 1; i >= 0; i--) {
            TcpConnection c = connections.get(i);
            if (!c.isOpen()) {
                closeNow(c);
            } else if (c.endpoint == null && now - c.acceptedNanos > limits.checkTimeoutNanos()) {
                refusals.refuse(TcpRefusal.CHECK_TIMEOUT);
                closeQuietly(c);
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
