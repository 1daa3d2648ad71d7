package org.huisclos.media;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.huisclos.media.rtp.ReceiveStatistics;
import org.junit.jupiter.api.Test;

/** Worst jitter (in seconds, per stream clock rate) and worst fraction lost over a report pass. */
class StreamQualityTest {
    private final byte[] block = new byte[48];

    @Test
    void theWorstStreamInSecondsAndRatio() {
        ReceiveStatistics audio = new ReceiveStatistics(1);
        ReceiveStatistics video = new ReceiveStatistics(2);
        // Audio (48 kHz): every packet 20 ms apart by timestamp, arrivals alternately 0 and 480 units late.
        for (int seq = 0; seq < 200; seq++) {
            audio.onPacket(seq, seq * 960L, seq * 960L + (seq % 2 == 0 ? 0 : 480));
        }
        // Video (90 kHz): steady arrivals, but every fourth packet lost.
        for (int seq = 0; seq < 100; seq++) {
            if (seq % 4 != 3) {
                video.onPacket(seq, seq * 3000L, seq * 3000L);
            }
        }
        audio.writeReportBlock(block, 0, 0);
        video.writeReportBlock(block, 24, 0);
        StreamQuality q = new StreamQuality();
        q.reset();
        q.add(block, 0, 48_000);
        q.add(block, 24, 90_000);
        assertEquals(audio.jitter() / 48_000.0, q.jitterSeconds(), 1e-12);
        assertEquals(0.01, q.jitterSeconds(), 0.0005, "jitter converges to the 480-unit (10 ms) swing");
        assertEquals(((24 << 8) / 99) / 256.0, q.lossRatio(), 1e-12, "24 of 99 expected (the last, 99, lost too)");
        q.reset();
        assertEquals(0, q.jitterSeconds());
        assertEquals(0, q.lossRatio());
    }
}
