package org.huisclos.media.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.huisclos.media.sdp.Codec;
import org.junit.jupiter.api.Test;

/** The layer a subscriber gets from how tall it shows the video and what the publisher sends now. */
class LayerChoiceTest {
    private static final int Q = 0;
    private static final int H = 1;
    private static final int F = 2;

    /** Layers q, h, f, all bound and sending, of heights {@code heights} (0: not known yet). */
    private static SimulcastLayer[] layers(int... heights) {
        PublishedStream s = PublishedStream.simulcast(new Endpoint("p", new Room("k")), List.of("q", "h", "f"), Codec.VP8);
        for (int i = 0; i < heights.length; i++) {
            s.layers[i].bind(0x100 + i);
            s.layers[i].height = heights[i];
            s.layers[i].packets = 10;
        }
        return s.layers;
    }

    @Test
    void theSmallestLayerAtLeastAsTallAsTheViewElseTheTallest() {
        SimulcastLayer[] known = layers(180, 360, 720);
        assertEquals(Q, LayerChoice.choose(known, 180, F));
        assertEquals(H, LayerChoice.choose(known, 181, F));
        assertEquals(F, LayerChoice.choose(known, 720, Q));
        assertEquals(F, LayerChoice.choose(known, 1080, Q), "none tall enough: the tallest");
        assertEquals(RewrittenStream.PAUSED, LayerChoice.choose(known, 0, F), "not shown");
    }

    @Test
    void aLayerOfUnknownSizeIsTriedForAViewButNotChosenWithoutOne() {
        SimulcastLayer[] unknownBelow = layers(0, 0, 720);
        assertEquals(Q, LayerChoice.choose(unknownBelow, 180, F), "asked for, its key frame will tell its size");
        assertEquals(F, LayerChoice.choose(unknownBelow, LayerChoice.NO_VIEW, F), "no view: the tallest sent");
        assertEquals(F, LayerChoice.choose(layers(0, 0, 0), LayerChoice.NO_VIEW, F), "no size known (H.264)");
    }

    @Test
    void onlyLayersThatGotPacketsSinceTheLastChoiceCount() {
        SimulcastLayer[] layers = layers(180, 360, 720);
        layers[F].packetsSeen = layers[F].packets; // f stopped
        assertEquals(H, LayerChoice.choose(layers, 720, F), "the tallest still sent");
        for (SimulcastLayer l : layers) {
            l.packetsSeen = l.packets;
        }
        assertEquals(F, LayerChoice.choose(layers, 180, F), "nothing sent now: the choice stays");
    }
}
