package org.huisclos.launcher.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Optional;
import org.huisclos.registry.RoomRegistry;
import org.junit.jupiter.api.Test;

/** One series per placement result, from zero, counting what the registry answered. */
class PlacementMetricsTest {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final PlacementMetrics metrics = new PlacementMetrics(registry);

    private double value(String series) {
        for (String line : registry.scrape().split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1));
            }
        }
        throw new AssertionError("no series " + series + " in\n" + registry.scrape());
    }

    @Test
    void countsEachResult() {
        assertEquals(0, value("huisclos_registry_placements_total{result=\"none\"}"));
        assertEquals(Optional.of("a"), metrics.count(new RoomRegistry.Placement(Optional.of("a"), RoomRegistry.Outcome.PLACED)));
        metrics.count(new RoomRegistry.Placement(Optional.of("a"), RoomRegistry.Outcome.EXISTING));
        metrics.count(new RoomRegistry.Placement(Optional.of("a"), RoomRegistry.Outcome.EXISTING));
        assertTrue(metrics.count(new RoomRegistry.Placement(Optional.empty(), RoomRegistry.Outcome.NONE)).isEmpty());
        assertEquals(1, value("huisclos_registry_placements_total{result=\"placed\"}"));
        assertEquals(2, value("huisclos_registry_placements_total{result=\"existing\"}"));
        assertEquals(1, value("huisclos_registry_placements_total{result=\"none\"}"));
    }
}
