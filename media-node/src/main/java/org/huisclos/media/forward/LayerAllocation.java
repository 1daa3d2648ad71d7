package org.huisclos.media.forward;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.huisclos.media.transport.SendBuffer;

/**
 * The choice of simulcast layers on a node (control thread; docs/media-quality.md): which layer each
 * subscriber gets ({@link LayerChoice}, from its view), and which layers each publisher encodes (what
 * some subscriber wants, told to the publisher through a {@link LayerSink}). Reads the conference's
 * participants and rooms; changes only the subscriptions' targets and the layers' encoding state.
 */
public final class LayerAllocation {
    /** Where the node tells a publisher which of its simulcast layers to encode (rids). */
    public interface LayerSink {
        void layers(Endpoint publisher, List<String> active);
    }

    /** How long nobody must want a simulcast layer before its publisher stops encoding it. */
    static final long LAYER_IDLE_MILLIS = 3000;

    private final Forwarder forwarder;
    private final Map<String, Endpoint> endpoints;
    private final Map<String, Room> rooms;
    private final SendBuffer out = new SendBuffer();
    private LayerSink layerSink = (publisher, active) -> { };

    LayerAllocation(Forwarder forwarder, Map<String, Endpoint> endpoints, Map<String, Room> rooms) {
        this.forwarder = forwarder;
        this.endpoints = endpoints;
        this.rooms = rooms;
    }

    /** Tells publishers which simulcast layers to encode: {@link #chooseLayers()} sends changes to it. */
    public void onLayers(LayerSink sink) {
        this.layerSink = sink;
    }

    /**
     * What a participant shows of the videos it receives: for each m-line, the height in pixels it
     * renders it at (0: not shown). The next {@link #chooseLayers} picks layers from it.
     */
    void view(Endpoint e, Map<String, Integer> heights) {
        for (Map.Entry<String, Integer> tile : heights.entrySet()) {
            Subscription sub = e.negotiation.subscription(tile.getKey());
            if (sub != null) {
                sub.viewHeight = Math.max(0, tile.getValue());
            }
        }
        chooseLayers(e);
    }

    /** The bandwidth estimates (bits/s) of the participants whose downlink the node estimates and has feedback of. */
    public long[] bandwidthEstimates() {
        return endpoints.values().stream().mapToLong(e -> e.bwe == null ? 0 : e.estimateBps).filter(b -> b > 0).toArray();
    }

    /**
     * Picks the simulcast layer of every subscription, and the layers each publisher encodes (once a
     * second; subscriptions also when a view changes).
     */
    public void chooseLayers() {
        long now = System.currentTimeMillis();
        for (Endpoint e : endpoints.values()) {
            chooseLayers(e);
        }
        for (Room room : rooms.values()) {
            for (Endpoint link : room.links) {
                chooseLayers(link);
            }
        }
        int paused = 0;
        int notEncoded = 0;
        for (Endpoint e : endpoints.values()) {
            for (Subscription sub : e.subscriptions) {
                paused += sub.rewrite != null && sub.rewrite.target == RewrittenStream.PAUSED ? 1 : 0;
            }
            for (PublishedStream s : e.published) {
                if (s.layers != null) {
                    encodeWanted(s, now);
                    for (SimulcastLayer layer : s.layers) {
                        layer.packetsSeen = layer.packets;
                        notEncoded += layer.encoded ? 0 : 1;
                    }
                }
            }
        }
        forwarder.counters().layers(paused, notEncoded);
    }

    /**
     * The publisher encodes the layers someone wants (and the lowest always, so that a newcomer has a
     * picture at once): a layer nobody has wanted for {@link #LAYER_IDLE_MILLIS} is paused, a wanted
     * one resumes at once. Only changes are sent.
     */
    private void encodeWanted(PublishedStream s, long now) {
        boolean[] wanted = new boolean[s.layers.length];
        wanted[0] = true;
        for (Subscription sub : s.subscribers) {
            int w = LayerChoice.wanted(s.layers, sub.viewHeight);
            if (w != RewrittenStream.PAUSED) {
                wanted[w] = true;
            }
        }
        boolean changed = false;
        for (SimulcastLayer layer : s.layers) {
            if (wanted[layer.index]) {
                layer.unwantedSince = 0;
                changed |= !layer.encoded;
                layer.encoded = true;
            } else if (layer.unwantedSince == 0) {
                layer.unwantedSince = now;
            } else if (layer.encoded && now - layer.unwantedSince >= LAYER_IDLE_MILLIS) {
                layer.encoded = false;
                changed = true;
            }
        }
        if (changed) {
            List<String> active = new ArrayList<>();
            for (SimulcastLayer layer : s.layers) {
                if (layer.encoded) {
                    active.add(layer.rid);
                }
            }
            layerSink.layers(s.publisher, active);
        }
    }

    private void chooseLayers(Endpoint e) {
        for (Subscription sub : e.subscriptions) {
            if (sub.rewrite != null) {
                int layer = LayerChoice.choose(sub.stream.layers, sub.viewHeight, sub.rewrite.target);
                if (layer != sub.rewrite.target) {
                    sub.rewrite.target = layer;
                    forwarder.requestKeyframe(sub, out);
                }
            }
        }
    }
}
