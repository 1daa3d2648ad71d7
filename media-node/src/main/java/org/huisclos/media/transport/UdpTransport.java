package org.huisclos.media.transport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;

/**
 * The media node's one UDP port. A dedicated I/O thread receives every datagram into one reused
 * buffer and hands it to the {@link PacketHandler}; any thread may send.
 *
 * <p>Why a blocking NIO channel rather than Netty's datagram channel: Netty wraps every datagram
 * it reads in a new DatagramPacket and a new InetSocketAddress, while the JDK channel reuses the
 * sender's address object while the sender stays the same and copies into our own array, so the
 * receive path allocates nothing. Sending from a heap buffer uses the JDK's per-thread cached
 * direct buffer, also without allocation.
 */
public final class UdpTransport implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(UdpTransport.class.getName());
    private static final int SOCKET_BUFFER_BYTES = 4 * 1024 * 1024;

    private final DatagramChannel channel;
    private final PacketHandler handler;
    private final Thread ioThread;
    private final byte[] receiveBytes = new byte[SendBuffer.SIZE];
    private final ByteBuffer receiveBuffer = ByteBuffer.wrap(receiveBytes);
    private volatile boolean closed;

    private UdpTransport(DatagramChannel channel, PacketHandler handler) {
        this.channel = channel;
        this.handler = handler;
        this.ioThread = new Thread(this::receiveLoop, "media-io");
        this.ioThread.setDaemon(true);
    }

    /** Binds the port and starts the I/O thread; fails with a message naming the port if it is taken. */
    public static UdpTransport bind(InetSocketAddress local, PacketHandler handler) throws IOException {
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
        UdpTransport transport = new UdpTransport(channel, handler);
        transport.ioThread.start();
        return transport;
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

    /** Sends {@code len} bytes from the start of {@code out} to {@code to}. Thread-safe. */
    public void send(SendBuffer out, int len, InetSocketAddress to) {
        ByteBuffer b = out.buffer;
        b.clear().limit(len);
        try {
            channel.send(b, to);
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
            } catch (RuntimeException e) {
                // A bug in handling one datagram must not stop the node: drop it and go on.
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
        try {
            ioThread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
