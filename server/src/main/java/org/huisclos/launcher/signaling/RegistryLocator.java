package org.huisclos.launcher.signaling;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import org.huisclos.registry.RoomRegistry;
import org.huisclos.signaling.MediaNodeLocator;

/**
 * Placement over the room registry (docs/cluster-protocol.md, "Placement"): Hazelcast calls block,
 * so they run on a worker thread, and each placement is counted by its outcome.
 */
public final class RegistryLocator implements MediaNodeLocator {
    private final Vertx vertx;
    private final RoomRegistry registry;
    private final PlacementMetrics metrics;

    public RegistryLocator(Vertx vertx, RoomRegistry registry, PlacementMetrics metrics) {
        this.vertx = vertx;
        this.registry = registry;
        this.metrics = metrics;
    }

    @Override
    public Future<String> nodeFor(String roomKey) {
        return nodeFor(roomKey, "", Set.of());
    }

    @Override
    public Future<String> nodeFor(String roomKey, String region, Set<String> avoid) {
        Set<String> avoided = Set.copyOf(avoid);
        return vertx.executeBlocking(() -> metrics.count(registry.place(roomKey, region, avoided))
                .orElseThrow(() -> new NoSuchElementException("no media node can take a participant now")), false);
    }

    @Override
    public Future<List<String>> joined(String roomKey, String nodeId) {
        return vertx.executeBlocking(() -> registry.joined(roomKey, nodeId), false);
    }
}
