package org.huisclos.launcher;

import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/** The process's Prometheus registry with the JVM's meters (docs/metrics.md). */
final class Metrics implements AutoCloseable {
    private final PrometheusMeterRegistry registry;
    private final JvmGcMetrics gcMetrics = new JvmGcMetrics();

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

    PrometheusMeterRegistry registry() {
        return registry;
    }

    @Override
    public void close() {
        gcMetrics.close();
    }
}
