package org.huisclos.signaling;

import io.vertx.core.Future;

/**
 * Chooses the media node that serves a room. The launcher implements it over the room registry;
 * tests use a fixed node. A failed future means no node can take the room now: the client gets
 * {@code media-unavailable}.
 */
@FunctionalInterface
public interface MediaNodeLocator {
    /** The id of the media node for the room, as used in {@code Addresses.mediaNode(nodeId)}. */
    Future<String> nodeFor(String roomKey);
}
