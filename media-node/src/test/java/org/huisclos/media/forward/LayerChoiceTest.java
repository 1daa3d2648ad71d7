package org.huisclos.media.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.huisclos.media.sdp.Codec;
import org.junit.jupiter.api.Test;

/** The layer for a view: the smallest that fills the tile, among what the publisher sends now. */
class LayerChoiceTest {
    private final Endpoint publisher = new Endpoint("p1", new Room("r"));
    private final PublishedStream stream = PublishedStream.simulcast(publisher, List.of("q", "h", "f"), Codec.VP8);
    private final SimulcastLayer[] layers = stream.layers;

    private void sending(int... indexes) {
        for (SimulcastLayer l : layers) {
            l.packetsSeen = l.packets;
        }
        for (int i : indexes) {
            if (!layers[i].bound()) {
                layers[i].bind(1000 + i);
            }
            layers[i].packets = layers[i].packets + 1;
        }
    }

    @Test
    void theSmallestLayerAtLeastAsTallAsTheTile() {
        layers[0].height = 180;
        layers[1].height = 360;
        layers[2].height = 720;
        sending(0, 1, 2);
        assertEquals(0, LayerChoice.choose(layers, 9, 2));
        assertEquals(0, LayerChoice.choose(layers, 180, 2));
        assertEquals(1, LayerChoice.choose(layers, 181, 2));
        assertEquals(2, LayerChoice.choose(layers, 500, 0));
        assertEquals(2, LayerChoice.choose(layers, 2000, 0), "taller than every layer: the tallest");
        assertEquals(2, LayerChoice.choose(layers, Integer.MAX_VALUE, 0), "no view yet: the tallest");
        assertEquals(RewrittenStream.PAUSED, LayerChoice.choose(layers, 0, 2), "not shown: none");
    }

    @Test
    void aLayerNotSentNowIsReplacedByTheNearestBelowThenAbove() {
        layers[0].height = 180;
        layers[1].height = 360;
        layers[2].height = 720;
        sending(0, 2);
        assertEquals(0, LayerChoice.choose(layers, 300, 2), "h is not sent: q, below it");
        sending(2);
        assertEquals(2, LayerChoice.choose(layers, 100, 1), "only f is sent: f");
        sending();
        assertEquals(1, LayerChoice.choose(layers, 100, 1), "nothing sent now: the choice stays");
        assertEquals(1, LayerChoice.wanted(layers, 300), "what is wanted does not depend on what is sent");
    }

    @Test
    void unknownSizesAreEstimatedFromAKnownLayerOrTheTopIsWanted() {
        assertEquals(2, LayerChoice.wanted(layers, 100), "no size known: the top, until key frames tell");
        layers[0].height = 135;
        assertEquals(270, LayerChoice.height(layers, 1));
        assertEquals(540, LayerChoice.height(layers, 2));
        assertEquals(1, LayerChoice.wanted(layers, 200));
        layers[0].height = 0;
        layers[2].height = 720;
        assertEquals(180, LayerChoice.height(layers, 0));
        assertEquals(0, LayerChoice.wanted(layers, 100));
    }
}
