package org.huisclos.loadgen;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The floor: a UDP relay with no crypto and no RTP processing. Each datagram from a routed source port is
 * sent as is to every destination port of that source (recv + K × send, one thread). For tests it can
 * also drop every n-th datagram it receives and hold each one back for a fixed delay before sending.
 */
public final class PlainRelay implements AutoCloseable {
    private final DatagramChannel channel;
    private final Map<Integer, InetSocketAddress[]> routes = new ConcurrentHashMap<>();
    private final int dropEvery;
    private final long delayNanos;
    private final AtomicLong packetsIn = new AtomicLong();
    private final AtomicLong packetsOut = new AtomicLong();
    private final DelayQueue<Held> held = new DelayQueue<>();
    private final Thread thread;
    private final Thread delayed;
    private volatile boolean closed;

    private PlainRelay(int port, int dropEvery, long delayMillis) throws IOException {
        this.channel = DatagramChannel.open();
        channel.bind(NodeMain.loopback(port));
        // As the media node's UdpTransport: 4 MB socket buffers.
        channel.setOption(java.net.StandardSocketOptions.SO_RCVBUF, 4 * 1024 * 1024);
        channel.setOption(java.net.StandardSocketOptions.SO_SNDBUF, 4 * 1024 * 1024);
        this.dropEvery = dropEvery;
        this.delayNanos = TimeUnit.MILLISECONDS.toNanos(delayMillis);
        this.thread = new Thread(this::run, "plain-relay");
        thread.setDaemon(true);
        thread.start();
        if (delayNanos > 0) {
            delayed = new Thread(this::runDelayed, "plain-relay-delay");
            delayed.setDaemon(true);
            delayed.start();
        } else {
            delayed = null;
        }
    }

    /** A relay on 127.0.0.1:{@code port} (0: any); {@code dropEvery} 0 and {@code delayMillis} 0 for none. */
    public static PlainRelay open(int port, int dropEvery, long delayMillis) throws IOException {
        return new PlainRelay(port, dropEvery, delayMillis);
    }

    public int port() {
        try {
            return ((InetSocketAddress) channel.getLocalAddress()).getPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public void route(int fromPort, int... toPorts) {
        InetSocketAddress[] to = new InetSocketAddress[toPorts.length];
        for (int i = 0; i < to.length; i++) {
            to[i] = NodeMain.loopback(toPorts[i]);
        }
        routes.put(fromPort, to);
    }

    public long packetsIn() {
        return packetsIn.get();
    }

    public long packetsOut() {
        return packetsOut.get();
    }

    private void run() {
        ByteBuffer buf = ByteBuffer.allocateDirect(2048);
        long n = 0;
        while (!closed) {
            try {
                buf.clear();
                InetSocketAddress from = (InetSocketAddress) channel.receive(buf);
                if (from == null) {
                    continue;
                }
                packetsIn.incrementAndGet();
                InetSocketAddress[] to = routes.get(from.getPort());
                if (to == null) {
                    continue;
                }
                n++;
                if (dropEvery > 0 && n % dropEvery == 0) {
                    continue;
                }
                buf.flip();
                if (delayNanos > 0) {
                    byte[] copy = new byte[buf.remaining()];
                    buf.get(copy);
                    held.add(new Held(System.nanoTime() + delayNanos, copy, to));
                    continue;
                }
                for (InetSocketAddress a : to) {
                    buf.rewind();
                    channel.send(buf, a);
                    packetsOut.incrementAndGet();
                }
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                // lost, as UDP
            }
        }
    }

    private void runDelayed() {
        while (!closed) {
            try {
                Held h = held.poll(100, TimeUnit.MILLISECONDS);
                if (h == null) {
                    continue;
                }
                for (InetSocketAddress a : h.to) {
                    channel.send(ByteBuffer.wrap(h.data), a);
                    packetsOut.incrementAndGet();
                }
            } catch (InterruptedException e) {
                return;
            } catch (IOException e) {
                // lost
            }
        }
    }

    private record Held(long due, byte[] data, InetSocketAddress[] to) implements Delayed {
        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(due - System.nanoTime(), TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed o) {
            return Long.compare(due, ((Held) o).due);
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        channel.close();
    }
}
