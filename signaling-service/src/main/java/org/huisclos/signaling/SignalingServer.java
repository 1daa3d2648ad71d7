package org.huisclos.signaling;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.huisclos.registry.RoomKeys;
import org.huisclos.turn.TurnCredentials;

/**
 * The signaling service's HTTP side: the web client's pages and assets, {@code /health},
 * {@code /ready}, {@code /metrics} (docs/metrics.md), and the
 * client protocol's WebSocket at {@code /ws}. All of it, sessions and participants included, runs
 * on one event loop, the one {@link #start()} is called on (or a new one).
 */
public final class SignalingServer {
    private static final System.Logger LOG = System.getLogger(SignalingServer.class.getName());

    /** How long a participant outlives its dropped WebSocket (docs/protocol.md). */
    public static final Duration DEFAULT_GRACE_PERIOD = Duration.ofSeconds(20);
    /**
     * Frames up to this size get a {@code too-large} error and the socket stays open; beyond it
     * the transport itself closes the connection, so that nobody can make us buffer megabytes.
     */
    static final int TRANSPORT_FRAME_LIMIT = 4 * ClientMessages.MAX_FRAME_BYTES;
    private static final String HTML = "text/html; charset=utf-8";

    private final Vertx vertx;
    private final int httpPort;
    private final String bindHost;
    private final RoomKeys roomKeys;
    private final MediaNodeLocator locator;
    private Duration gracePeriod = DEFAULT_GRACE_PERIOD;
    /** How long a resume token resumes; null: {@link ResumeTokens#lifetimeFor} the grace period. */
    private Duration tokenLifetime;
    // A private registry by default, so that a signaling server on its own (tests) still serves /metrics.
    private PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private ReadinessCheck readiness = ReadinessCheck.ALWAYS;
    private SignalingMetrics metrics;
    private byte[] sessionSecret = Credentials.newSecret();
    private List<String> signalingUrls = List.of();
    private String contentSecurityPolicy = contentSecurityPolicy(List.of());
    private Resumption resumption;
    private RoomAccess roomAccess = RoomAccess.inMemory();
    private JwtVerifier jwt;
    private boolean jwtRequired;
    private AccessControl access;
    private boolean stopping;
    private io.vertx.core.net.PemKeyCertOptions tls;
    private TurnCredentials turn;
    private ClientAddresses clientAddresses = ClientAddresses.direct();
    private ClientQuotas quotas = ClientQuotas.defaults();

    private Context context;
    private HttpServer server;
    private ParticipantDirectory directory;
    private MediaNodeHealth health;
    private byte[] adminToken;
    private NodeWatcher watcher;
    private String region = "";
    private MediaPlacement placement;

    public SignalingServer(Vertx vertx, int httpPort, String bindHost, RoomKeys roomKeys, MediaNodeLocator locator) {
        this.vertx = Objects.requireNonNull(vertx);
        this.httpPort = httpPort;
        this.bindHost = Objects.requireNonNull(bindHost);
        this.roomKeys = Objects.requireNonNull(roomKeys);
        this.locator = Objects.requireNonNull(locator);
    }

    /** Sets how long a participant is kept after its WebSocket drops (for grace periods started from now on). */
    public SignalingServer gracePeriod(Duration gracePeriod) {
        if (gracePeriod.isNegative() || gracePeriod.isZero()) {
            throw new IllegalArgumentException("the grace period must be positive");
        }
        this.gracePeriod = gracePeriod;
        if (context != null) {
            context.runOnContext(v -> {
                directory.graceMillis(gracePeriod.toMillis());
                resumption.tokens.lifetime(tokenLifetime, gracePeriod);
            });
        }
        return this;
    }

    /** How long a resume token resumes once issued (refreshed with every pong); default: grace period + 60 s. */
    public SignalingServer resumeTokenLifetime(Duration lifetime) {
        this.tokenLifetime = Objects.requireNonNull(lifetime);
        if (context != null) {
            context.runOnContext(v -> resumption.tokens.lifetime(lifetime, gracePeriod));
        }
        return this;
    }

    /**
     * This instance's region ({@code HUISCLOS_REGION}): participants whose client states no region
     * are placed on a media node of this region when one has room.
     */
    public SignalingServer region(String region) {
        this.region = region == null ? "" : region;
        return this;
    }

    /** Registers the signaling meters in {@code registry} and serves all of it at /metrics; call before {@link #start()}. */
    public SignalingServer meterRegistry(PrometheusMeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry);
        return this;
    }

    /**
     * The cluster-wide secret of resume tokens: every instance given the same one can resume every
     * participant (without it, a random one: resume works only here). Call before {@link #start()}.
     */
    public SignalingServer sessionSecret(byte[] secret) {
        if (secret.length < 16) {
            throw new IllegalArgumentException("the session secret must have at least 16 bytes");
        }
        this.sessionSecret = secret.clone();
        return this;
    }

    /**
     * The base URLs (http(s)://host:port) of every signaling instance the web client may reconnect
     * to (HUISCLOS_SIGNALING_URLS), served at {@code /config} and allowed in the pages' CSP;
     * empty means only the page's own origin. Call before {@link #start()}.
     */
    public SignalingServer signalingUrls(List<String> urls) {
        this.signalingUrls = List.copyOf(urls);
        this.contentSecurityPolicy = contentSecurityPolicy(this.signalingUrls);
        return this;
    }

    /**
     * Serves HTTPS (and WSS) with this certificate and key instead of plain HTTP; null (the
     * default) is plain HTTP. Call before {@link #start()}.
     */
    public SignalingServer tls(io.vertx.core.net.PemKeyCertOptions certificate) {
        this.tls = certificate;
        return this;
    }

    /**
     * Where rooms' moderators, password hashes and lobby states live: the registry in a cluster
     * (every instance must see the same); by default this JVM's memory. Call before {@link #start()}.
     */
    public SignalingServer roomAccess(RoomAccess roomAccess) {
        this.roomAccess = Objects.requireNonNull(roomAccess);
        return this;
    }

    /**
     * Sign-in of an organisation's members (docs/configuration.md, HUISCLOS_JWT_*): the verifier of
     * their tokens (null: none), and whether only a valid token may open a room that does not exist
     * yet. Call before {@link #start()}.
     */
    public SignalingServer signIn(JwtVerifier verifier, boolean requiredToOpenRooms) {
        if (requiredToOpenRooms && verifier == null) {
            throw new IllegalArgumentException("requiring sign-in needs a verifier");
        }
        this.jwt = verifier;
        this.jwtRequired = requiredToOpenRooms;
        return this;
    }

    /**
     * The TURN servers whose URLs and fresh credentials every offer to a browser carries
     * ({@code iceServers}); null (the default): none, offers unchanged. Call before {@link #start()}.
     */
    public SignalingServer turn(TurnCredentials turn) {
        this.turn = turn;
        return this;
    }

    /** How clients' addresses are told behind proxies (HUISCLOS_TRUSTED_PROXIES); call before {@link #start()}. */
    /** WebSockets and joins each client may open or try per minute (defaults: {@link ClientQuotas}). */
    public SignalingServer clientQuotas(int websocketsPerMinute, int joinsPerMinute) {
        this.quotas = new ClientQuotas(websocketsPerMinute, joinsPerMinute);
        return this;
    }

    public SignalingServer clientAddresses(ClientAddresses addresses) {
        this.clientAddresses = Objects.requireNonNull(addresses);
        return this;
    }

    /** What {@code /ready} asks; call before {@link #start()}. */
    public SignalingServer readiness(ReadinessCheck readiness) {
        this.readiness = Objects.requireNonNull(readiness);
        return this;
    }

    /**
     * Watches the media nodes in use and moves participants off a node that dies or drains
     * (see {@link NodeWatcher}); call before {@link #start()}. Without it, nothing is moved.
     */
    public SignalingServer mediaNodeHealth(MediaNodeHealth health) {
        this.health = Objects.requireNonNull(health);
        return this;
    }

    /**
     * Enables {@code POST /admin/drain?node=<nodeId>} for requests carrying
     * {@code Authorization: Bearer <token>}; null (the default) disables it. Call before {@link #start()}.
     */
    public SignalingServer adminToken(String token) {
        this.adminToken = token == null ? null : token.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return this;
    }

    /** These media nodes are gone (their cluster member left): move their participants now. Any thread. */
    public void nodesLost(java.util.Collection<String> nodeIds) {
        java.util.List<String> ids = java.util.List.copyOf(nodeIds);
        if (context != null && !ids.isEmpty()) {
            context.runOnContext(v -> {
                if (watcher != null) {
                    watcher.nodesLost(ids);
                }
            });
        }
    }

    /** The cluster member {@code incarnation} left: participants whose node ran on it move now. Any thread. */
    public void memberLeft(String incarnation) {
        if (context != null) {
            context.runOnContext(v -> {
                if (watcher != null) {
                    watcher.memberLeft(incarnation);
                }
            });
        }
    }

    /** Starts listening; the future holds the bound port (useful with port 0). */
    public Future<Integer> start() {
        context = vertx.getOrCreateContext();
        metrics = new SignalingMetrics(registry);
        Promise<Integer> bound = Promise.promise();
        context.runOnContext(v -> {
            MediaNodeClient media = new MediaNodeClient(vertx.eventBus());
            placement = new MediaPlacement(locator, media, region);
            directory = new ParticipantDirectory(vertx, media, gracePeriod.toMillis());
            access = new AccessControl(vertx, roomAccess, jwt, jwtRequired);
            directory.access(access);
            resumption = new Resumption(vertx.eventBus(), sessionSecret, roomKeys, media, directory);
            resumption.tokens.lifetime(tokenLifetime, gracePeriod);
            if (health != null) {
                watcher = new NodeWatcher(vertx, health, directory, new MediaMover(placement, media, directory, metrics,
                        resumption::tokenFor));
                watcher.start();
            }
            HttpServerOptions options = new HttpServerOptions().setPort(httpPort).setHost(bindHost)
                    .setMaxWebSocketFrameSize(TRANSPORT_FRAME_LIMIT)
                    .setMaxWebSocketMessageSize(TRANSPORT_FRAME_LIMIT)
                    .setIdleTimeout(60); // clients ping every 15 s; a silent socket is a dead one
            if (tls != null) {
                options.setSsl(true).setKeyCertOptions(tls);
            }
            server = vertx.createHttpServer(options).requestHandler(router(media));
            resumption.startHandoffConsumer().compose(v2 -> server.listen()).map(HttpServer::actualPort).onComplete(result -> {
                if (result.succeeded()) {
                    LOG.log(System.Logger.Level.INFO, "signaling listening on port {0}", String.valueOf(result.result()));
                } else {
                    LOG.log(System.Logger.Level.ERROR, "signaling could not listen: {0}", result.cause().getMessage());
                }
                bound.handle(result);
            });
        });
        return bound.future();
    }

    /**
     * Stops listening and hands every participant held here to another signaling instance of the
     * cluster, which keeps it for the grace period so that its client can resume there; with no
     * other instance, they leave (release, {@code left}).
     */
    public Future<Void> stop() {
        if (server == null) {
            return Future.succeededFuture();
        }
        Promise<Void> stopped = Promise.promise();
        // Hand-off first, so that clients see 1012 and go straight to another instance; new
        // WebSockets are refused meanwhile, so that none comes back here.
        context.runOnContext(v -> {
            stopping = true;
            if (watcher != null) {
                watcher.stop();
            }
            resumption.handOffAll()
                    .eventually(() -> server.close()).andThen(closed -> access.close())
                    .onComplete(stopped);
        });
        return stopped.future();
    }

    private Router router(MediaNodeClient media) {
        Router router = Router.router(vertx);
        router.route().handler(this::securityHeaders);
        OpsRoutes.mount(router, readiness, registry);
        router.get("/config").handler(ctx -> ctx.json(ClientMessages.config(signalingUrls)));
        router.get("/ws").handler(ctx -> upgrade(ctx, media));
        router.post("/admin/drain").handler(ctx -> AdminRoutes.drain(ctx, vertx, adminToken,
                () -> page(ctx, 404, "webroot/404.html")));
        router.get("/assets/*").handler(StaticHandler.create("webroot/assets")
                .setCachingEnabled(false).setDirectoryListing(false).setIncludeHidden(false));
        router.get("/").handler(ctx -> page(ctx, 200, "webroot/index.html"));
        // Before the room pattern: a room called "check" is not reachable by URL (the pre-meeting check is).
        router.get("/check").handler(ctx -> page(ctx, 200, "webroot/check.html"));
        router.get("/favicon.ico").handler(ctx -> ctx.redirect("/assets/icon.svg"));
        router.getWithRegex("/" + RoomNames.PATTERN).handler(ctx -> page(ctx, 200, "webroot/room.html"));
        router.route().last().handler(ctx -> page(ctx, 404, "webroot/404.html"));
        return router;
    }

    private void upgrade(RoutingContext ctx, MediaNodeClient media) {
        if (!ctx.request().canUpgradeToWebSocket()) {
            ctx.response().setStatusCode(400).end("WebSocket only");
            return;
        }
        if (stopping) {
            ctx.response().setStatusCode(503).end("this server is stopping");
            return;
        }
        String client = clientAddresses.keyOf(ctx.request().remoteAddress().hostAddress(),
                ctx.request().getHeader("X-Forwarded-For"));
        long wait = quotas.takeWebSocket(client, System.currentTimeMillis());
        if (wait > 0) {
            long seconds = (wait + 999) / 1000;
            metrics.refused(SignalingMetrics.WEBSOCKETS_PER_CLIENT);
            ctx.response().setStatusCode(429).putHeader("Retry-After", String.valueOf(seconds))
                    .end("too many connections from your address; try again in " + seconds + " s");
            return;
        }
        ctx.request().toWebSocket().onSuccess(socket -> new ClientSession(socket, vertx.eventBus(), roomKeys, placement,
                media, directory, metrics, resumption, access, turn, client, quotas).start());
    }

    private static void page(RoutingContext ctx, int status, String file) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", HTML).sendFile(file)
                .onFailure(e -> LOG.log(System.Logger.Level.ERROR, "a web client page is missing from the build"));
    }

    /**
     * Room names are in page URLs: no referrer; nothing from other origins but the WebSockets of
     * the other signaling instances; no caching.
     */
    private void securityHeaders(RoutingContext ctx) {
        ctx.response()
                .putHeader("Referrer-Policy", "no-referrer")
                .putHeader("X-Content-Type-Options", "nosniff")
                .putHeader("X-Frame-Options", "DENY")
                .putHeader("Cache-Control", "no-store")
                .putHeader("Permissions-Policy", "camera=(self), microphone=(self)")
                .putHeader("Content-Security-Policy", contentSecurityPolicy);
        ctx.next();
    }

    /** connect-src lists the WebSocket URL of each configured instance (its host and port only). */
    static String contentSecurityPolicy(List<String> urls) {
        StringBuilder connect = new StringBuilder("'self'");
        for (String url : urls) {
            connect.append(' ').append(url.replaceFirst("^http", "ws")).append("/ws");
        }
        return "default-src 'self'; connect-src " + connect + "; "
                + "img-src 'self' data:; media-src 'self' blob: mediastream:; "
                // The end-to-end encryption worker (assets/e2ee-worker.js), same origin only.
                + "worker-src 'self'; frame-ancestors 'none'; "
                + "base-uri 'none'; form-action 'self'";
    }
}
