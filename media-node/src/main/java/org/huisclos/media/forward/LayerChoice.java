package org.huisclos.media.forward;

/**
 * Which simulcast layer a subscriber gets. The layer it <em>wants</em> is the smallest at least as
 * tall as the subscriber renders the video (the tallest when none is), none when the video is not
 * shown. It gets that layer when the publisher sends it now, else the nearest layer below that the
 * publisher sends, else the nearest above; when the publisher sends none now (not started, or
 * paused), the choice stays as it was. A layer "sent now" got packets since the previous choice.
 * What subscribers want also decides which layers the publisher encodes ({@link Conference}).
 * The place where the subscriber's bandwidth estimate will cap the choice.
 */
final class LayerChoice {
    /** The view height of a subscriber that has not said how it shows the video: unlimited. */
    static final int NO_VIEW = Integer.MAX_VALUE;

    private LayerChoice() {
    }

    /** @param viewHeight pixels, 0 for a video not shown; {@code current}: the layer chosen before */
    static int choose(SimulcastLayer[] layers, int viewHeight, int current) {
        int want = wanted(layers, viewHeight);
        if (want == RewrittenStream.PAUSED || sentNow(layers[want])) {
            return want;
        }
        for (int i = want - 1; i >= 0; i--) {
            if (sentNow(layers[i])) {
                return i;
            }
        }
        for (int i = want + 1; i < layers.length; i++) {
            if (sentNow(layers[i])) {
                return i;
            }
        }
        return current == RewrittenStream.PAUSED ? want : current;
    }

    /** The layer that fits a video rendered {@code viewHeight} pixels tall; PAUSED for 0. */
    static int wanted(SimulcastLayer[] layers, int viewHeight) {
        if (viewHeight == 0) {
            return RewrittenStream.PAUSED;
        }
        for (SimulcastLayer layer : layers) {
            int h = height(layers, layer.index);
            if (h == 0) {
                return layers.length - 1; // no size known yet: the top, until the key frames tell
            }
            if (h >= viewHeight) {
                return layer.index;
            }
        }
        return layers.length - 1;
    }

    /**
     * A layer's height from its last key frame, or estimated from another layer's (each layer is twice
     * the one below: the scales the web client sets); 0 when no layer's size is known.
     */
    static int height(SimulcastLayer[] layers, int i) {
        if (layers[i].height > 0) {
            return layers[i].height;
        }
        for (SimulcastLayer known : layers) {
            if (known.height > 0) {
                int shift = i - known.index;
                return shift >= 0 ? known.height << shift : known.height >> -shift;
            }
        }
        return 0;
    }

    /** Got packets since the previous choice, or within the last second (a view comes at any time). */
    private static boolean sentNow(SimulcastLayer layer) {
        return layer.bound() && (layer.packets > layer.packetsSeen
                || System.nanoTime() - layer.lastPacketNanos < SimulcastLayer.SENT_WITHIN_NANOS);
    }
}
