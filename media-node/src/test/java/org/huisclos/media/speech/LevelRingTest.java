package org.huisclos.media.speech;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class LevelRingTest {
    @Test
    void capacityIsAPowerOfTwo() {
        assertEquals(8, new LevelRing(8).capacity());
        assertEquals(16, new LevelRing(9).capacity());
        assertEquals(8192, new LevelRing(128 * 64).capacity());
    }

    @Test
    void fullRingDropsUntilReleased() {
        LevelRing ring = new LevelRing(4);
        for (int i = 0; i < 4; i++) {
            assertTrue(ring.offer(i, i, i));
        }
        assertFalse(ring.offer(9, 9, 9));
        assertEquals(1, ring.dropped());
        assertEquals(4, ring.published());
        assertEquals(2, ring.participant(2));
        ring.release(1);
        assertTrue(ring.offer(4, 4, 4));
        assertEquals(4, ring.participant(4), "slot 0 reused for sequence 4");
        assertFalse(ring.offer(5, 5, 5));
    }

    /** A producer and a consumer thread: every level arrives once, in order and whole, or is counted dropped. */
    @Test
    void producerAndConsumerThreads() throws Exception {
        LevelRing ring = new LevelRing(64);
        int n = 2_000_000;
        AtomicReference<String> failure = new AtomicReference<>();
        Thread producer = new Thread(() -> {
            for (int i = 0; i < n; i++) {
                ring.offer(i, i & 0x7F, i * 3L);
            }
        });
        producer.start();
        long received = 0;
        int last = -1;
        while (producer.isAlive() || ring.consumed() < ring.published()) {
            long end = ring.published();
            for (long s = ring.consumed(); s < end; s++) {
                int p = ring.participant(s);
                if (p <= last || ring.level(s) != (p & 0x7F) || ring.atMillis(s) != p * 3L) {
                    failure.compareAndSet(null, "sequence " + s + ": participant " + p + " after " + last);
                }
                last = p;
                received++;
            }
            ring.release(end);
        }
        producer.join();
        assertEquals(null, failure.get());
        assertEquals(n, received + ring.dropped());
    }
}
