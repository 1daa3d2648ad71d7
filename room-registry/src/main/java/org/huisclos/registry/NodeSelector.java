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

    /**
     * The least-loaded node of {@code region} with room to spare; when the region has none, the
     * least-loaded node anywhere. An empty region means no preference.
     */
    static NodeSelector regionAffinity(String region) {
        if (region == null || region.isEmpty()) {
            return LEAST_LOADED;
        }
        return (nodes, now) -> {
            Optional<NodeRecord> local = LEAST_LOADED.select(
                    nodes.stream().filter(n -> region.equals(n.region())).toList(), now);
            return local.isPresent() ? local : LEAST_LOADED.select(nodes, now);
        };
    }
}
