package org.huisclos.media.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.huisclos.media.sdp.Codec;
import org.junit.jupiter.api.Test;

/**
 * A view can come at any time, also just after the once-a-second choice and before any layer's next
 * packet: a layer that had a packet within the last second is still sent now then.
 */
class LayerChoiceTimingTest {
    @Test
    void aViewJustAfterTheOnceASecondChoiceStillSeesTheLayersSent() {
        PublishedStream s = PublishedStream.simulcast(new Endpoint("p", new Room("k")), List.of("q", "h", "f"), Codec.VP8);
        int[] heights = {180, 360, 720};
        for (SimulcastLayer l : s.layers) {
            l.bind(0x100 + l.index);
            l.height = heights[l.index];
            l.packets = 10;
            l.packetsSeen = 10; // the choice a moment ago saw every packet so far
            l.lastPacketNanos = System.nanoTime() - SimulcastLayer.SENT_WITHIN_NANOS / 2;
        }
        assertEquals(0, LayerChoice.choose(s.layers, 180, 2), "a 180 px view gets q at once");

        s.layers[2].lastPacketNanos = System.nanoTime() - SimulcastLayer.SENT_WITHIN_NANOS - 1;
        assertEquals(1, LayerChoice.choose(s.layers, 720, 2), "f, silent for a second, is not sent now");
    }
}
