package org.huisclos.media.dtls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class QueueDatagramTransportTest {
    private final List<byte[]> sent = new ArrayList<>();
    private final QueueDatagramTransport transport =
            new QueueDatagramTransport((b, o, l) -> sent.add(Arrays.copyOfRange(b, o, o + l)));

    @Test
    void queuesACopyAndDropsWhenFull() throws Exception {
        byte[] record = {22, 1, 2, 3};
        assertTrue(transport.offer(record, 0, record.length));
        record[1] = 99; // the caller reuses its buffer
        for (int i = 1; i < QueueDatagramTransport.DEFAULT_CAPACITY; i++) {
            assertTrue(transport.offer(record, 0, record.length));
        }
        assertFalse(transport.offer(record, 0, record.length));
        assertEquals(1, transport.droppedCount());

        byte[] buf = new byte[QueueDatagramTransport.RECEIVE_LIMIT];
        assertEquals(4, transport.receive(buf, 0, buf.length, 10));
        assertArrayEquals(new byte[] {22, 1, 2, 3}, Arrays.copyOf(buf, 4));
    }

    @Test
    void dropsOversizedDatagrams() {
        byte[] big = new byte[QueueDatagramTransport.RECEIVE_LIMIT + 1];
        assertFalse(transport.offer(big, 0, big.length));
        assertEquals(1, transport.droppedCount());
    }

    @Test
    void receiveHonoursWaitMillis() throws Exception {
        long t0 = System.nanoTime();
        assertEquals(-1, transport.receive(new byte[1500], 0, 1500, 50));
        assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0) >= 40);
        assertEquals(-1, transport.receive(new byte[1500], 0, 1500, 0)); // never blocks forever
    }

    @Test
    void closeWakesABlockedReceiverAndStopsSending() throws Exception {
        CompletableFuture<Void> blocked = CompletableFuture.runAsync(() -> {
            assertThrows(IOException.class, () -> transport.receive(new byte[1500], 0, 1500, 10_000));
        });
        Thread.sleep(50);
        transport.close();
        blocked.get(2, TimeUnit.SECONDS);

        transport.send(new byte[] {21, 0}, 0, 2);
        assertTrue(sent.isEmpty());
        assertFalse(transport.offer(new byte[] {22}, 0, 1));
    }

    @Test
    void sendGoesToTheSink() {
        transport.send(new byte[] {0, 22, 7, 0}, 1, 2);
        assertArrayEquals(new byte[] {22, 7}, sent.get(0));
    }
}
