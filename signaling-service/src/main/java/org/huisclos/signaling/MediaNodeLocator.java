package org.huisclos.signaling;

import io.vertx.core.Future;
import java.util.List;
import java.util.Set;

/**
 * Chooses the media node for a participant of a room. The launcher implements it over the room
 * registry (a room spans several nodes when one is not enough, docs/cluster-protocol.md); tests
 * use a fixed node. A failed future means no node can take the participant now: the client gets
 * {@code media-unavailable}.
 */
@FunctionalInterface
public interface MediaNodeLocator {
    /** The id of the media node for the room, as used in {@code Addresses.mediaNode(nodeId)}. */
    Future<String> nodeFor(String roomKey);

    /**
     * The node for a participant of the room who prefers {@code region} (empty: none), never one
     * of {@code avoid} (nodes that refused as full, or the node the participant is moved off).
     */
    default Future<String> nodeFor(String roomKey, String region, Set<String> avoid) {
        return nodeFor(roomKey);
    }

    /**
     * A participant of the room was allocated on {@code nodeId}: makes sure the room's record names
     * that node, and gives every live node the room spans now (relay links join them; a single node
     * needs none).
     */
    default Future<List<String>> joined(String roomKey, String nodeId) {
        return Future.succeededFuture(List.of(nodeId));
    }
}
