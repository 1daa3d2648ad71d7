package org.huisclos.launcher;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;

/** The process's Prometheus registry with the JVM's meters (docs/metrics.md). */
final class Metrics implements AutoCloseable {
    private final PrometheusMeterRegistry registry;
    private final JvmGcMetrics gcMetrics = new JvmGcMetrics();
    private final EventLoopDelay eventLoopDelay = new EventLoopDelay();
    private Vertx vertx;
    private long eventLoopTimer = -1;

    private Metrics(PrometheusMeterRegistry registry) {
        this.registry = registry;
    }

    static Metrics create() {
        // No common "node" tag: Prometheus adds the scrape target as "instance", and the default node
        // id is random per process, so a tag would start new series at every restart.
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        // ProcessorMetrics' process_cpu_time_ns_total (a unit Prometheus does not use) and system_cpu_count
        // (a gauge named like a histogram part) fail `promtool check metrics`; process_cpu_usage and
        // system_cpu_usage already tell the same story.
        meters.config().meterFilter(MeterFilter.deny(id ->
                id.getName().equals("process.cpu.time") || id.getName().equals("system.cpu.count")));
        Metrics m = new Metrics(meters);
        new JvmMemoryMetrics().bindTo(meters);
        m.gcMetrics.bindTo(meters);
        new JvmThreadMetrics().bindTo(meters);
        new ProcessorMetrics().bindTo(meters);
        new UptimeMetrics().bindTo(meters);
        return m;
    }

    /**
     * Starts {@code huisclos_event_loop_delay_seconds}: a timer every {@link EventLoopDelay#PERIOD_MS}
     * on an event loop of {@code vertx} measures how late it fires; the gauge is the largest delay of
     * the last {@link EventLoopDelay#WINDOW_SECONDS} seconds (one Prometheus scrape interval).
     */
    void watchEventLoop(Vertx vertx) {
        this.vertx = vertx;
        Gauge.builder("huisclos.event.loop.delay", eventLoopDelay, d -> d.maxSeconds(System.nanoTime()))
                .baseUnit("seconds").strongReference(true)
                .description("Largest lateness of a 100 ms Vert.x event-loop timer over the last 15 seconds")
                .register(registry);
        eventLoopDelay.start(System.nanoTime());
        eventLoopTimer = vertx.setPeriodic(EventLoopDelay.PERIOD_MS, id -> eventLoopDelay.fired(System.nanoTime()));
    }

    PrometheusMeterRegistry registry() {
        return registry;
    }

    @Override
    public void close() {
        if (eventLoopTimer >= 0) {
            vertx.cancelTimer(eventLoopTimer);
        }
        gcMetrics.close();
    }
}
