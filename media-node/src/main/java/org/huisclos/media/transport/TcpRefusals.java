package org.huisclos.media.transport;

import java.util.concurrent.atomic.AtomicLongArray;

/** Counts of ICE-TCP connections closed per {@link TcpRefusal}; written on the I/O thread, read anywhere. */
public final class TcpRefusals {
    private final AtomicLongArray counts = new AtomicLongArray(TcpRefusal.values().length);

    public void refuse(TcpRefusal reason) {
        counts.incrementAndGet(reason.ordinal());
    }

    public long count(TcpRefusal reason) {
        return counts.get(reason.ordinal());
    }
}
