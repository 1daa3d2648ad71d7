package org.huisclos.media.forward;

/**
 * Which simulcast layer a subscriber gets: the smallest layer the publisher sends now that is at least
 * as tall as the subscriber renders the video (a layer whose size is not known yet counts as tall
 * enough, so that asking for it makes its key frame tell its size), else the tallest it sends; none
 * when the video is not shown. Before the subscriber says how tall it shows the video (height
 * {@link #NO_VIEW}) no layer is tall enough: it gets the tallest sent, whatever sizes are known. A layer "sent now" got packets
 * since the previous choice; when none did (the publisher has not started, or paused), the choice
 * stays as it was. The place where the subscriber's bandwidth estimate will cap the choice.
 */
final class LayerChoice {
    /** The view height of a subscriber that has not said how it shows the video: unlimited. */
    static final int NO_VIEW = Integer.MAX_VALUE;

    private LayerChoice() {
    }

    /** @param viewHeight pixels, 0 for a video not shown; {@code current}: the layer chosen before */
    static int choose(SimulcastLayer[] layers, int viewHeight, int current) {
        if (viewHeight == 0) {
            return RewrittenStream.PAUSED;
        }
        int tallestSent = -1;
        for (SimulcastLayer layer : layers) {
            if (!sentNow(layer)) {
                continue;
            }
            int h = layer.height;
            if (h == 0 ? viewHeight != NO_VIEW : h >= viewHeight) {
                return layer.index;
            }
            tallestSent = layer.index;
        }
        if (tallestSent >= 0) {
            return tallestSent;
        }
        return current == RewrittenStream.PAUSED ? layers.length - 1 : current;
    }

    /** Got packets since the previous choice, or within the last second (a view comes at any time). */
    private static boolean sentNow(SimulcastLayer layer) {
        return layer.bound() && (layer.packets > layer.packetsSeen
                || System.nanoTime() - layer.lastPacketNanos < SimulcastLayer.SENT_WITHIN_NANOS);
    }
}
