package org.huisclos.media.transport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;

/**
 * The media node's one UDP port. One thread receives every datagram into one reused buffer and
 * hands it to the {@link PacketHandler}; any thread may send. That thread is either the port's own
 * ({@link #bind}: a blocking receive loop, when the node has no ICE-TCP port) or the ICE-TCP
 * selector thread ({@link #open}, then {@link TcpTransport#bind(InetSocketAddress, TcpPacketHandler,
 * DropCounters, TcpLimits, TcpRefusals, UdpTransport)}): then one thread reads both ports, so the
 * node's endpoint and forwarding state has one owner (issue 13, item 6; docs/architecture.md §5).
 *
 * <p>Why a JDK NIO channel (blocking, or non-blocking on the shared selector) rather than Netty's
 * datagram channel: Netty wraps every datagram it reads in a new DatagramPacket and a new
 * InetSocketAddress, while the JDK channel reuses the sender's address object while the sender
 * stays the same and copies into our own array, so the receive path allocates nothing. Sending from a heap buffer uses the JDK's per-thread cached
 * direct buffer, also without allocation.
 */
public final class UdpTransport implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(UdpTransport.class.getName());
    private static final int SOCKET_BUFFER_BYTES = 4 * 1024 * 1024;
    /** Datagrams read per readiness on a shared selector before the other channels get their turn. */
    private static final int BATCH = 64;

    private final DatagramChannel channel;
    private final PacketHandler handler;
    private final Thread ioThread; // null when a selector thread serves the port
    private final byte[] receiveBytes = new byte[SendBuffer.SIZE];
    private final ByteBuffer receiveBuffer = ByteBuffer.wrap(receiveBytes);
    private volatile boolean closed;
    /** Where a datagram lost to a full send buffer is counted (only a non-blocking port loses them); may be null. */
    private final DropCounters drops;

    private UdpTransport(DatagramChannel channel, PacketHandler handler, boolean ownThread, DropCounters drops) {
        this.channel = channel;
        this.handler = handler;
        this.drops = drops;
        this.ioThread = ownThread ? new Thread(this::receiveLoop, "media-io") : null;
        if (ioThread != null) {
            ioThread.setDaemon(true);
        }
    }

    /** Binds the port and starts its own I/O thread; fails with a message naming the port if it is taken. */
    public static UdpTransport bind(InetSocketAddress local, PacketHandler handler) throws IOException {
        UdpTransport transport = new UdpTransport(openChannel(local), handler, true, null);
        transport.ioThread.start();
        return transport;
    }

    /**
     * Binds the port without a thread of its own: nothing is received until a {@link TcpTransport}
     * serves it on its selector thread. Fails with a message naming the port if it is taken.
     */
    public static UdpTransport open(InetSocketAddress local, PacketHandler handler, DropCounters drops)
            throws IOException {
        DatagramChannel channel = openChannel(local);
        try {
            channel.configureBlocking(false);
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        return new UdpTransport(channel, handler, false, drops);
    }

    private static DatagramChannel openChannel(InetSocketAddress local) throws IOException {
        DatagramChannel channel = DatagramChannel.open();
        try {
            channel.setOption(StandardSocketOptions.SO_RCVBUF, SOCKET_BUFFER_BYTES);
            channel.setOption(StandardSocketOptions.SO_SNDBUF, SOCKET_BUFFER_BYTES);
            channel.bind(local);
        } catch (IOException e) {
            channel.close();
            throw new IOException("cannot bind the media UDP port " + local.getPort()
                    + " (" + e.getMessage() + "): is another process using it? Set HUISCLOS_MEDIA_UDP_PORT", e);
        }
        return channel;
    }

    /** Lets {@code selector}'s thread receive for this port ({@link #open} only). */
    void register(Selector selector) throws IOException {
        if (ioThread != null) {
            throw new IllegalStateException("this UDP port has its own thread");
        }
        channel.register(selector, SelectionKey.OP_READ, this);
    }

    /**
     * On the selector thread when the port is readable: hands on up to {@link #BATCH} datagrams.
     * A handler that throws, even an Error, costs that one datagram.
     */
    void drain() {
        for (int i = 0; i < BATCH && !closed; i++) {
            SocketAddress from;
            try {
                receiveBuffer.clear();
                from = channel.receive(receiveBuffer);
            } catch (IOException e) {
                if (!closed) {
                    LOG.log(System.Logger.Level.WARNING, "media UDP receive failed: " + e.getMessage());
                }
                return;
            }
            if (from == null) {
                return;
            }
            try {
                handler.onPacket(receiveBytes, 0, receiveBuffer.position(), (InetSocketAddress) from);
            } catch (Throwable e) {
                LOG.log(System.Logger.Level.ERROR, "media packet handling failed", e);
            }
        }
    }

    /** Whether the socket is bound and receiving (false once closed). */
    public boolean isOpen() {
        return !closed && channel.isOpen();
    }

    public int port() {
        try {
            return ((InetSocketAddress) channel.getLocalAddress()).getPort();
        } catch (IOException e) {
            return -1;
        }
    }

    /**
     * Sends {@code len} bytes from the start of {@code out} to {@code to}. Thread-safe. On a port
     * served by a selector the channel does not block: a full socket buffer loses the datagram,
     * counted as {@link DropReason#UDP_SEND_BUFFER_FULL}.
     */
    public void send(SendBuffer out, int len, InetSocketAddress to) {
        ByteBuffer b = out.buffer;
        b.clear().limit(len);
        try {
            if (channel.send(b, to) == 0 && len > 0 && drops != null) {
                drops.drop(DropReason.UDP_SEND_BUFFER_FULL);
            }
        } catch (IOException e) {
            // A full socket buffer or an unreachable peer: the datagram is lost, as UDP allows.
        }
    }

    private void receiveLoop() {
        while (!closed) {
            try {
                receiveBuffer.clear();
                SocketAddress from = channel.receive(receiveBuffer);
                if (from != null) {
                    handler.onPacket(receiveBytes, 0, receiveBuffer.position(), (InetSocketAddress) from);
                }
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (!closed) {
                    LOG.log(System.Logger.Level.WARNING, "media UDP receive failed: " + e.getMessage());
                }
            } catch (Throwable e) {
                // A bug (or an Error) in handling one datagram must not stop the node: drop it and go on.
                LOG.log(System.Logger.Level.ERROR, "media packet handling failed", e);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        if (ioThread == null) {
            return;
        }
        try {
            ioThread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
