package org.huisclos.launcher;

import com.hazelcast.core.HazelcastInstance;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.huisclos.media.MediaNode;
import org.huisclos.media.MediaNodeConfig;
import org.huisclos.registry.Hazelcasts;
import org.huisclos.registry.NodeRecord;
import org.huisclos.registry.NodeSelector;
import org.huisclos.registry.NodeState;
import org.huisclos.registry.RoomKeys;
import org.huisclos.registry.RoomRegistry;
import org.huisclos.signaling.SignalingServer;

/**
 * Starts Huisclos in one JVM: an embedded Hazelcast member with the room registry, one media node
 * and the signaling service with the web client. {@code ./huisclos start} runs this.
 */
public final class Huisclos implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Huisclos.class.getName());
    private static final long HEARTBEAT_MS = 1000;

    private final Settings settings;
    private final HazelcastInstance hazelcast;
    private final RoomRegistry registry;
    private final Vertx vertx;
    private final MediaNode media;
    private final SignalingServer signaling;
    private final int httpPort;
    private final long heartbeatTimer;
    private final MediaMetrics mediaMetrics; // held: its function meters read through it
    private final JvmGcMetrics gcMetrics;

    private Huisclos(Settings settings, HazelcastInstance hazelcast, RoomRegistry registry, Vertx vertx,
                     MediaNode media, SignalingServer signaling, int httpPort, long heartbeatTimer,
                     MediaMetrics mediaMetrics, JvmGcMetrics gcMetrics) {
        this.settings = settings;
        this.hazelcast = hazelcast;
        this.registry = registry;
        this.vertx = vertx;
        this.media = media;
        this.signaling = signaling;
        this.httpPort = httpPort;
        this.heartbeatTimer = heartbeatTimer;
        this.mediaMetrics = mediaMetrics;
        this.gcMetrics = gcMetrics;
    }

    public static Huisclos start(Settings s) throws Exception {
        HazelcastInstance hazelcast = Hazelcasts.start(s.clusterName(), "127.0.0.1", s.clusterPort(), s.clusterMembers());
        Vertx vertx = Vertx.vertx();
        // No common "node" tag: Prometheus adds the scrape target as "instance", and the default node
        // id is random per process, so a tag would start new series at every restart.
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        // ProcessorMetrics' process_cpu_time_ns_total (a unit Prometheus does not use) and system_cpu_count
        // (a gauge named like a histogram part) fail `promtool check metrics`; process_cpu_usage and
        // system_cpu_usage already tell the same story.
        meters.config().meterFilter(MeterFilter.deny(id ->
                id.getName().equals("process.cpu.time") || id.getName().equals("system.cpu.count")));
        JvmGcMetrics gcMetrics = new JvmGcMetrics();
        try {
            new JvmMemoryMetrics().bindTo(meters);
            gcMetrics.bindTo(meters);
            new JvmThreadMetrics().bindTo(meters);
            new ProcessorMetrics().bindTo(meters);
            new UptimeMetrics().bindTo(meters);
            RoomRegistry registry = new RoomRegistry(hazelcast, NodeSelector.LEAST_LOADED);
            MediaNode media = new MediaNode(new MediaNodeConfig(s.nodeId(), s.mediaBind(), s.mediaUdpPort(),
                    s.publicIp(), s.mediaCapacity(), s.rembBitrate()));
            await(vertx.deployVerticle(media));
            MediaMetrics mediaMetrics = MediaMetrics.bind(meters, media);
            media.onRoomClosed(key -> vertx.executeBlocking(() -> {
                registry.roomClosed(key, s.nodeId());
                return null;
            }, false));
            heartbeat(registry, s, media, new int[3]);
            long timer = vertx.setPeriodic(HEARTBEAT_MS, id -> media.load().onSuccess(load -> {
                mediaMetrics.load(load);
                vertx.executeBlocking(() -> {
                    heartbeat(registry, s, media, load);
                    return null;
                }, false);
            }));
            SignalingServer signaling = new SignalingServer(vertx, s.httpPort(), s.httpBind(), new RoomKeys(s.roomKeySecret()),
                    roomKey -> vertx.executeBlocking(() -> registry.placeRoom(roomKey)
                            .orElseThrow(() -> new NoSuchElementException("no media node can take a new room")), false))
                    .meterRegistry(meters)
                    .readiness(() -> notReadyReason(hazelcast, media));
            int port = await(signaling.start());
            return new Huisclos(s, hazelcast, registry, vertx, media, signaling, port, timer, mediaMetrics, gcMetrics);
        } catch (Exception e) {
            gcMetrics.close();
            vertx.close();
            hazelcast.shutdown();
            throw e;
        }
    }

    /**
     * Why this process cannot take new participants now, for {@code /ready}; cheap, never blocks.
     * Draining is the hook for later: when the node can drain, it is not ready for new rooms.
     */
    static Optional<String> notReadyReason(HazelcastInstance hazelcast, MediaNode media) {
        if (!hazelcast.getLifecycleService().isRunning()) {
            return Optional.of("cluster member is not running");
        }
        if (!media.udpBound()) {
            return Optional.of("media UDP port is not bound");
        }
        if (draining()) {
            return Optional.of("media node is draining");
        }
        return Optional.empty();
    }

    /** No draining yet (the heartbeat always says SERVING); the readiness check already asks. */
    private static boolean draining() {
        return false;
    }

    private static void heartbeat(RoomRegistry registry, Settings s, MediaNode media, int[] load) {
        registry.heartbeat(new NodeRecord(s.nodeId(), s.publicIp(), media.udpPort(), "", s.mediaCapacity(),
                load[0], load[2], NodeState.SERVING, System.currentTimeMillis()));
    }

    public int httpPort() {
        return httpPort;
    }

    public MediaNode mediaNode() {
        return media;
    }

    public RoomRegistry registry() {
        return registry;
    }

    public HazelcastInstance hazelcast() {
        return hazelcast;
    }

    @Override
    public void close() {
        vertx.cancelTimer(heartbeatTimer);
        try {
            await(signaling.stop());
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "signaling did not stop cleanly: " + e.getMessage());
        }
        try {
            await(vertx.close());
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "Vert.x did not stop cleanly: " + e.getMessage());
        }
        gcMetrics.close();
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
        } catch (Exception e) {
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            System.err.println("huisclos: could not start: " + root.getMessage());
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(huisclos::close, "huisclos-shutdown"));
        if (settings.publicIpDefaulted()) {
            System.err.println("WARNING: HUISCLOS_PUBLIC_IP is not set: the media node advertises 127.0.0.1, so only "
                    + "browsers on this machine can join. Set HUISCLOS_PUBLIC_IP to this server's public address "
                    + "for remote participants.");
        }
        String host = settings.httpBind().equals("0.0.0.0") ? "127.0.0.1" : settings.httpBind();
        System.out.println("Huisclos is running. Open http://" + host + ":" + huisclos.httpPort() + "/ in a browser"
                + " (media on UDP port " + huisclos.mediaNode().udpPort() + ").");
    }
}
