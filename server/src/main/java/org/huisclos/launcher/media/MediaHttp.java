package org.huisclos.launcher.media;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import org.huisclos.signaling.OpsRoutes;
import org.huisclos.signaling.ReadinessCheck;

/**
 * The small HTTP server of a media-only process (HUISCLOS_ROLE=media) on HUISCLOS_MEDIA_HTTP_PORT:
 * {@code /metrics}, {@code /health} and {@code /ready} (docs/metrics.md), nothing else (404).
 * A process that also runs signaling serves them on its signaling port instead.
 */
public final class MediaHttp {
    private final HttpServer server;

    private MediaHttp(HttpServer server) {
        this.server = server;
    }

    /** Listens on {@code host:port} (0: any free port); completes once bound. */
    public static Future<MediaHttp> start(Vertx vertx, String host, int port, ReadinessCheck readiness,
                                   PrometheusMeterRegistry registry) {
        Router router = Router.router(vertx);
        router.route().handler(ctx -> {
            ctx.response().putHeader("Cache-Control", "no-store").putHeader("X-Content-Type-Options", "nosniff");
            ctx.next();
        });
        OpsRoutes.mount(router, readiness, registry);
        router.route().last().handler(ctx -> ctx.response().setStatusCode(404)
                .putHeader("Content-Type", "text/plain; charset=utf-8")
                .end("a media node serves only /metrics, /health and /ready\n"));
        HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(port).setIdleTimeout(60))
                .requestHandler(router);
        return server.listen().map(s -> new MediaHttp(s));
    }

    public int port() {
        return server.actualPort();
    }

    public Future<Void> stop() {
        return server.close();
    }
}
