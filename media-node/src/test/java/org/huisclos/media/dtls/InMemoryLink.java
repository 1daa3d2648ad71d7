package org.huisclos.media.dtls;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/** Connects a client and a server session back to back, optionally losing server datagrams. */
final class InMemoryLink {
    final AtomicReference<DtlsSession> client = new AtomicReference<>();
    final AtomicReference<DtlsSession> server = new AtomicReference<>();
    final AtomicInteger clientDatagrams = new AtomicInteger();
    final AtomicInteger droppedFromServer = new AtomicInteger();
    private volatile Predicate<byte[]> dropFromServer = d -> false;

    void dropFromServerWhile(Predicate<byte[]> rule) {
        dropFromServer = rule;
    }

    DatagramSink clientSink() {
        return (buf, off, len) -> {
            clientDatagrams.incrementAndGet();
            server.get().offer(buf, off, len);
        };
    }

    DatagramSink serverSink() {
        return (buf, off, len) -> {
            byte[] copy = Arrays.copyOfRange(buf, off, off + len);
            if (dropFromServer.test(copy)) {
                droppedFromServer.incrementAndGet();
                return;
            }
            client.get().offer(copy, 0, copy.length);
        };
    }
}
