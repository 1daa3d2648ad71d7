package org.huisclos.signaling;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

/**
 * The operations endpoints every Huisclos HTTP server serves (docs/metrics.md): {@code /health},
 * {@code /ready} and {@code /metrics}. One place, so that the signaling server and a media-only
 * process's small HTTP server answer them alike.
 */
public final class OpsRoutes {
    /** Prometheus text exposition format 0.0.4, what every Prometheus version scrapes. */
    public static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private OpsRoutes() {
    }

    /** Adds {@code GET /health}, {@code GET /ready} and {@code GET /metrics} to {@code router}. */
    public static void mount(Router router, ReadinessCheck readiness, PrometheusMeterRegistry registry) {
        router.get("/health").handler(ctx -> ctx.json(new JsonObject().put("status", "up")));
        // 200 when this process can take new participants, 503 with the reason otherwise (load balancers probe it).
        router.get("/ready").handler(ctx -> {
            var reason = readiness.notReadyReason();
            JsonObject body = new JsonObject().put("ready", reason.isEmpty());
            reason.ifPresent(r -> body.put("reason", r));
            ctx.response().setStatusCode(reason.isEmpty() ? 200 : 503)
                    .putHeader("Content-Type", "application/json").end(body.encode());
        });
        // Scraped on the event loop: every meter reads an atomic or a JVM MXBean, a few milliseconds at most.
        router.get("/metrics").handler(ctx -> ctx.response().putHeader("Content-Type", PROMETHEUS_TEXT)
                .end(registry.scrape()));
    }
}
