package org.huisclos.signaling;

import io.vertx.core.Future;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Where a participant's media goes, and the relay links that follow from it: the signaling side
 * of docs/cluster-protocol.md, "Placement". A join (or a move) asks the locator for a node, the
 * caller allocates the participant there, tries another node when that one answers full, and once
 * allocated asks the node to open a relay link to every other node the room spans. Links close by
 * themselves when a node's last participant of the room leaves.
 */
final class MediaPlacement {
    private static final System.Logger LOG = System.getLogger(MediaPlacement.class.getName());
    /** Nodes tried for one participant before giving up (each refused as full). */
    static final int ATTEMPTS = 4;
    static final Pattern REGION = Pattern.compile("[A-Za-z0-9_.-]{0,32}");

    private final MediaNodeLocator locator;
    private final MediaNodeClient media;
    private final String defaultRegion;

    /** @param defaultRegion this instance's region ({@code HUISCLOS_REGION}), for clients that state none */
    MediaPlacement(MediaNodeLocator locator, MediaNodeClient media, String defaultRegion) {
        this.locator = locator;
        this.media = media;
        this.defaultRegion = defaultRegion == null ? "" : defaultRegion;
    }

    /** The region a participant is placed by: its own when it stated one, else this instance's. */
    String regionFor(String requested) {
        return requested == null || requested.isEmpty() ? defaultRegion : requested;
    }

    Future<String> node(String roomKey, String region, Set<String> avoid) {
        return locator.nodeFor(roomKey, region, avoid);
    }

    /**
     * The participant is allocated on {@code nodeId}: the room's record names the node, and if the
     * room spans other nodes, {@code nodeId} opens a relay link to each (a no-op where one is open). A refusal is only logged: it means
     * the other node's last participant just left, or that node died, and then no link is needed;
     * a node joining the room later connects by itself.
     */
    void linkUp(String roomKey, String nodeId) {
        locator.joined(roomKey, nodeId).onSuccess(nodes -> {
            for (String peer : nodes) {
                if (!peer.equals(nodeId)) {
                    media.relayConnect(nodeId, roomKey, peer).onFailure(e -> LOG.log(System.Logger.Level.DEBUG,
                            "relay link from node {0} to node {1} not opened: {2}", nodeId, peer, e.getMessage()));
                }
            }
        });
    }
}
