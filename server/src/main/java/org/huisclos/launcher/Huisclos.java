package org.huisclos.launcher;

import org.huisclos.launcher.media.MediaHttp;
import org.huisclos.launcher.media.MediaRole;
import org.huisclos.launcher.signaling.PlacementMetrics;
import org.huisclos.launcher.signaling.RegistryLocator;
import org.huisclos.launcher.signaling.RegistryRoomAccess;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.Optional;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.concurrent.TimeUnit;
import org.huisclos.media.MediaNode;
import org.huisclos.registry.ClusterSecrets;
import org.huisclos.registry.Hazelcasts;
import org.huisclos.registry.NodeSelector;
import org.huisclos.registry.NodeState;
import org.huisclos.registry.RoomKeys;
import org.huisclos.registry.RoomRegistry;
import org.huisclos.signaling.MediaNodeHealth;
import org.huisclos.signaling.SignalingServer;

/**
 * Starts one Huisclos process: an embedded Hazelcast member with the room registry and, by role
 * (HUISCLOS_ROLE), a media node, the signaling service with the web client, or both (the default,
 * for one VPS). {@code ./huisclos start} runs this.
 */
public final class Huisclos implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Huisclos.class.getName());
    /** How long a drain on SIGTERM waits for the node's participants to be moved. */
    static final Duration DRAIN_TIMEOUT = Duration.ofMillis(MediaRole.DRAIN_TIMEOUT_MS);

    private final Settings settings;
    private final HazelcastInstance hazelcast;
    private final RoomRegistry registry;
    private final Vertx vertx;
    private final MediaRole media;
    private final SignalingServer signaling;
    private final int httpPort;
    private final Metrics metrics;
    private TlsCertificates.Loaded tls;
    private final MediaHttp mediaHttp;

    private Huisclos(Settings settings, HazelcastInstance hazelcast, RoomRegistry registry, Vertx vertx,
                     MediaRole media, SignalingServer signaling, int httpPort, Metrics metrics, MediaHttp mediaHttp) {
        this.settings = settings;
        this.hazelcast = hazelcast;
        this.registry = registry;
        this.vertx = vertx;
        this.media = media;
        this.signaling = signaling;
        this.httpPort = httpPort;
        this.metrics = metrics;
        this.mediaHttp = mediaHttp;
    }

    /**
     * Starts the roles of {@code s.role()}: always a Hazelcast member (the registry) and, unless the
     * role is {@code registry}, a clustered Vert.x whose event bus joins the same cluster.
     */
    public static Huisclos start(Settings s) throws Exception {
        // Before anything starts: a bad certificate or key path stops start-up with what to fix.
        TlsCertificates.Loaded tls = s.role().runsSignaling() ? TlsCertificates.load(s) : null;
        HazelcastInstance hazelcast = Hazelcasts.start(s.clusterName(), s.clusterBind(), s.clusterPort(), s.clusterMembers());
        RoomRegistry registry = new RoomRegistry(hazelcast, NodeSelector.LEAST_LOADED);
        if (s.role() == Role.REGISTRY) {
            return new Huisclos(s, hazelcast, registry, null, null, null, -1, null, null);
        }
        Vertx vertx = null;
        Metrics metrics = Metrics.create();
        try {
            VertxOptions options = new VertxOptions().setEventBusOptions(new EventBusOptions()
                    .setHost(s.clusterBind()).setPort(0).setClusterPublicHost(s.clusterBind()));
            vertx = await(Vertx.builder().with(options).withClusterManager(new HazelcastClusterManager(hazelcast))
                    .buildClustered());
            Vertx v = vertx;
            metrics.watchEventLoop(vertx);
            ClusterSecrets secrets = ClusterSecrets.of(hazelcast, s.roomKeySecret());
            MediaRole media = null;
            if (s.role().runsMedia()) {
                media = await(MediaRole.start(vertx, registry, s.mediaNodeConfig(), s.region(),
                        hazelcast.getCluster().getLocalMember().getUuid().toString(), metrics.registry()));
            }
            MediaRole localMedia = media;
            SignalingServer signaling = null;
            int port = -1;
            if (s.role().runsSignaling()) {
                PlacementMetrics placements = new PlacementMetrics(metrics.registry());
                signaling = new SignalingServer(vertx, s.httpPort(), s.httpBind(), new RoomKeys(secrets.roomKeySecret()),
                        new RegistryLocator(v, registry, placements))
                        .region(s.region())
                        .sessionSecret(secrets.sessionSecret())
                        .roomAccess(new RegistryRoomAccess(registry))
                        .signalingUrls(s.signalingUrls())
                        .meterRegistry(metrics.registry())
                        .readiness(() -> notReadyReason(hazelcast, localMedia))
                        .adminToken(s.adminToken())
                        .signIn(s.jwt(), s.jwtRequiredToOpenRooms())
                        .turn(s.turn())
                        .clientAddresses(s.clientAddresses())
                        .clientQuotas(s.websocketsPerClientPerMinute(), s.joinsPerClientPerMinute())
                        .tls(tls == null ? null : tls.options())
                        .mediaNodeHealth(nodeId -> registry.node(nodeId).map(n -> new MediaNodeHealth.NodeStatus(
                                n.alive(System.currentTimeMillis()), n.state() == NodeState.DRAINING, n.memberUuid())));
                port = await(signaling.start());
            }
            MediaHttp mediaHttp = null;
            if (media != null && signaling == null) {
                // A media-only process: /metrics, /health, /ready on a port of their own.
                mediaHttp = await(MediaHttp.start(vertx, s.httpBind(), s.mediaHttpPort(),
                        () -> notReadyReason(hazelcast, localMedia), metrics.registry()));
            }
            watchMembers(hazelcast, registry, vertx, signaling, media);
            Huisclos started = new Huisclos(s, hazelcast, registry, vertx, media, signaling, port, metrics, mediaHttp);
            started.tls = tls;
            return started;
        } catch (Exception e) {
            metrics.close();
            if (vertx != null) {
                vertx.close();
            }
            hazelcast.shutdown();
            throw e;
        }
    }

    /**
     * The fast way to notice a dead media node: its cluster member left (a kill -9 is noticed
     * within Hazelcast's heartbeat timeout, a clean stop at once). Its node records go (every
     * member does it; it is idempotent) and local participants on it move without waiting for the
     * heartbeat to go stale.
     */
    private static void watchMembers(HazelcastInstance hazelcast, RoomRegistry registry, Vertx vertx,
                                     SignalingServer signaling, MediaRole media) {
        hazelcast.getCluster().addMembershipListener(new MembershipListener() {
            @Override
            public void memberAdded(MembershipEvent event) {
            }

            @Override
            public void memberRemoved(MembershipEvent event) {
                String uuid = event.getMember().getUuid().toString();
                if (media != null) {
                    media.memberLeft(uuid); // relay links to its nodes close now, not on consent
                }
                // Records first, so that re-placement does not choose the node that just left.
                vertx.executeBlocking(() -> registry.removeNodesOfMember(uuid), false).onComplete(gone -> {
                    if (signaling != null) {
                        signaling.memberLeft(uuid);
                        if (gone.succeeded()) {
                            signaling.nodesLost(gone.result());
                        }
                    }
                });
            }
        });
    }

    /**
     * Drains this process's media node (see docs/cluster-protocol.md): DRAINING in the registry,
     * no new rooms, participants moved by signaling. Completes with true once it holds nobody,
     * false after {@code timeout}. Fails when this process runs no media node.
     */
    public CompletableFuture<Boolean> drain(Duration timeout) {
        if (media == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("this process runs no media node"));
        }
        return media.drain(timeout.toMillis()).toCompletionStage().toCompletableFuture();
    }

    /**
     * What to do when a drain asked with {@code POST /admin/drain} ended; {@link #main} exits the
     * process. Nothing happens when this process runs no media node.
     */
    public void onDrained(Runnable listener) {
        if (media != null) {
            media.onDrained(listener);
        }
    }

    /** Whether another live SERVING media node could take this node's rooms (a drain can move them). */
    boolean anotherNodeServes() {
        long now = System.currentTimeMillis();
        return registry.nodes().stream().anyMatch(n -> !n.nodeId().equals(settings.nodeId()) && n.acceptsRooms(now));
    }

    /**
     * SIGTERM: a media node drains first (bounded by {@link #DRAIN_TIMEOUT}) when another node
     * can take its participants, then everything closes.
     */
    void shutdown() {
        if (media != null && !media.draining()) {
            try {
                if (anotherNodeServes()) {
                    LOG.log(System.Logger.Level.INFO, "draining media node " + settings.nodeId() + " before exit");
                    boolean empty = drain(DRAIN_TIMEOUT).get(DRAIN_TIMEOUT.toMillis() + 5000, TimeUnit.MILLISECONDS);
                    LOG.log(System.Logger.Level.INFO, empty ? "media node drained" : "drain timed out; exiting anyway");
                }
            } catch (Exception e) {
                LOG.log(System.Logger.Level.WARNING, "drain failed: " + e.getClass().getSimpleName());
            }
        }
        close();
    }

    /**
     * Why this process cannot take new participants now, for {@code /ready}; cheap, never blocks.
     * A process without a media node is ready while it is a cluster member.
     */
    static Optional<String> notReadyReason(HazelcastInstance hazelcast, MediaRole media) {
        if (!hazelcast.getLifecycleService().isRunning()) {
            return Optional.of("cluster member is not running");
        }
        if (media != null && !media.node().udpBound()) {
            return Optional.of("media UDP port is not bound");
        }
        if (media != null && !media.node().tcpBound()) {
            return Optional.of("media ICE-TCP port is not bound");
        }
        if (media != null && media.draining()) {
            return Optional.of("media node is draining");
        }
        return Optional.empty();
    }

    /** The certificate the signaling role serves HTTPS with, or null for plain HTTP (or no signaling role). */
    public TlsCertificates.Loaded tls() {
        return tls;
    }

    /** The HTTP port of the signaling role, or -1 when this process runs none. */
    public int httpPort() {
        return httpPort;
    }

    /** The port of a media-only process's /metrics, /health and /ready, or -1 when this process has none. */
    public int mediaHttpPort() {
        return mediaHttp == null ? -1 : mediaHttp.port();
    }

    /** The media node of this process, or null when it runs none. */
    public MediaNode mediaNode() {
        return media == null ? null : media.node();
    }

    /** The signaling server of this process, or null when it runs none. */
    public SignalingServer signaling() {
        return signaling;
    }

    /** This process's (clustered) Vert.x, or null for the registry role. */
    public Vertx vertx() {
        return vertx;
    }

    public RoomRegistry registry() {
        return registry;
    }

    public HazelcastInstance hazelcast() {
        return hazelcast;
    }

    public Settings settings() {
        return settings;
    }

    @Override
    public void close() {
        if (signaling != null) {
            try {
                await(signaling.stop());
            } catch (Exception e) {
                LOG.log(System.Logger.Level.WARNING, "signaling did not stop cleanly: " + e.getMessage());
            }
        }
        if (mediaHttp != null) {
            try {
                await(mediaHttp.stop());
            } catch (Exception e) {
                LOG.log(System.Logger.Level.WARNING, "media HTTP server did not stop cleanly: " + e.getMessage());
            }
        }
        if (media != null) {
            media.stop();
        }
        if (vertx != null) {
            try {
                await(vertx.close());
            } catch (Exception e) {
                LOG.log(System.Logger.Level.WARNING, "Vert.x did not stop cleanly: " + e.getMessage());
            }
        }
        if (metrics != null) {
            metrics.close();
        }
        hazelcast.shutdown();
    }

    static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    public static void main(String[] args) {
        Logging.configure();
        Settings settings;
        try {
            settings = Settings.fromEnvironment(System.getenv());
        } catch (Settings.Invalid e) {
            System.err.println("huisclos: configuration error: " + e.getMessage());
            System.exit(2);
            return;
        }
        Huisclos huisclos;
        try {
            huisclos = start(settings);
        } catch (Settings.Invalid e) {
            System.err.println("huisclos: configuration error: " + e.getMessage());
            System.exit(2);
            return;
        } catch (Exception e) {
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            System.err.println("huisclos: could not start: " + root.getMessage());
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(huisclos::shutdown, "huisclos-shutdown"));
        huisclos.onDrained(() -> new Thread(() -> System.exit(0), "huisclos-drained").start());
        if (settings.publicIpDefaulted() && settings.role().runsMedia()) {
            System.err.println("WARNING: HUISCLOS_PUBLIC_IP is not set: the media node advertises 127.0.0.1, so only "
                    + "browsers on this machine can join. Set HUISCLOS_PUBLIC_IP to this server's public address "
                    + "for remote participants.");
        }
        TlsCertificates.Loaded tls = huisclos.tls();
        if (tls != null && tls.selfSigned()) {
            System.err.println("WARNING: HUISCLOS_TLS=self-signed: HTTPS with a certificate made at start (kept in memory, "
                    + "a new one at every start). Browsers will warn that it is not trusted; fine on a LAN or for a test, "
                    + "not for the public: there, give HUISCLOS_TLS_CERT and HUISCLOS_TLS_KEY or put a TLS proxy in front. "
                    + "Its SHA-256 fingerprint, for users to compare: " + tls.fingerprint());
        }
        String host = settings.httpBind().equals("0.0.0.0") ? "127.0.0.1" : settings.httpBind();
        String scheme = tls != null ? "https://" : "http://";
        switch (settings.role()) {
            case ALL -> System.out.println("Huisclos is running. Open " + scheme + host + ":" + huisclos.httpPort()
                    + "/ in a browser (media on UDP port " + huisclos.mediaNode().udpPort() + ").");
            case SIGNALING -> System.out.println("Huisclos signaling is running on " + scheme + host + ":"
                    + huisclos.httpPort() + "/");
            case MEDIA -> System.out.println("Huisclos media node " + settings.nodeId() + " is running on UDP port "
                    + huisclos.mediaNode().udpPort() + "; /metrics, /health and /ready at http://" + host + ":"
                    + huisclos.mediaHttpPort() + "/");
            case REGISTRY -> System.out.println("Huisclos registry member is running.");
        }
        if (settings.turn() != null && settings.role().runsSignaling()) {
            // The URLs only: never the secret.
            System.out.println("TURN: offers name " + String.join(", ", settings.turn().urls()) + " with credentials valid "
                    + settings.turn().lifetime().toSeconds() + " s.");
        }
    }
}
