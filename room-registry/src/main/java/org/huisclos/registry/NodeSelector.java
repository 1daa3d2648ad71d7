package org.huisclos.registry;

import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;

/** Chooses the media node for a new room. */
public interface NodeSelector {
    Optional<NodeRecord> select(Collection<NodeRecord> nodes, long nowMillis);

    /** The SERVING, live node with room to spare that is least full. */
    NodeSelector LEAST_LOADED = (nodes, now) -> nodes.stream()
            .filter(n -> n.acceptsRooms(now))
            .min(Comparator.comparingDouble(NodeRecord::load).thenComparing(NodeRecord::nodeId));
}
