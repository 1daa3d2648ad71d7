package org.huisclos.launcher.signaling;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.huisclos.registry.RoomRegistry;

/**
 * {@code huisclos_registry_placements_total{result}}: the signaling side's room lookups in the
 * registry, by {@link RoomRegistry.Outcome} ({@code existing}, {@code placed}, {@code added}, {@code none}).
 */
public final class PlacementMetrics {
    private final Map<RoomRegistry.Outcome, Counter> counters = new EnumMap<>(RoomRegistry.Outcome.class);

    public PlacementMetrics(MeterRegistry registry) {
        // Registered up front so that every result has a series from the start (rate() needs a zero).
        for (RoomRegistry.Outcome o : RoomRegistry.Outcome.values()) {
            counters.put(o, Counter.builder("huisclos.registry.placements").tag("result", o.name().toLowerCase(Locale.ROOT))
                    .description("Room placements asked of the registry: existing live node, newly placed, added to the room, or none")
                    .register(registry));
        }
    }

    /** Counts the placement and returns its node. */
    Optional<String> count(RoomRegistry.Placement placement) {
        counters.get(placement.outcome()).increment();
        return placement.nodeId();
    }
}
