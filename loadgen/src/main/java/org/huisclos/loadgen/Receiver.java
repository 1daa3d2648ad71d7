package org.huisclos.loadgen;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Iterator;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/** One thread that reads every participant's socket (a selector), so that receiving costs no thread each. */
final class Receiver implements AutoCloseable {
    private final Selector selector;
    private final Queue<Participant> toRegister = new ConcurrentLinkedQueue<>();
    private final Thread thread;
    private volatile boolean closed;

    Receiver() throws IOException {
        selector = Selector.open();
        thread = new Thread(this::run, "loadgen-rx");
        thread.setDaemon(true);
        thread.start();
    }

    void add(Participant p) {
        toRegister.add(p);
        selector.wakeup();
    }

    private void run() {
        ByteBuffer bb = ByteBuffer.allocate(2048);
        byte[] buf = bb.array();
        try {
            while (!closed) {
                Participant p;
                while ((p = toRegister.poll()) != null) {
                    p.channel.configureBlocking(false);
                    p.channel.register(selector, SelectionKey.OP_READ, p);
                }
                selector.select(100);
                Iterator<SelectionKey> it = selector.selectedKeys().iterator();
                while (it.hasNext()) {
                    SelectionKey k = it.next();
                    it.remove();
                    Participant q = (Participant) k.attachment();
                    DatagramChannel ch = q.channel;
                    for (int i = 0; i < 64; i++) {
                        bb.clear();
                        try {
                            if (ch.receive(bb) == null) {
                                break;
                            }
                        } catch (IOException e) {
                            break;
                        }
                        try {
                            q.onDatagram(buf, bb.position());
                        } catch (RuntimeException e) {
                            q.srtpFailures++;
                        }
                    }
                }
            }
        } catch (IOException | ClosedSelectorException e) {
            // closed
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        selector.wakeup();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        selector.close();
    }
}
