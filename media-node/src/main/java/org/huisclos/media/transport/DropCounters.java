package org.huisclos.media.transport;

import java.util.concurrent.atomic.AtomicLongArray;

/** Counts of dropped datagrams per {@link DropReason}; written on the I/O thread, read anywhere. */
public final class DropCounters {
    private final AtomicLongArray counts = new AtomicLongArray(DropReason.values().length);

    public void drop(DropReason reason) {
        counts.incrementAndGet(reason.ordinal());
    }

    public long count(DropReason reason) {
        return counts.get(reason.ordinal());
    }

    public long total() {
        long sum = 0;
        for (int i = 0; i < counts.length(); i++) {
            sum += counts.get(i);
        }
        return sum;
    }
}
