package org.huisclos.launcher;

import com.hazelcast.core.HazelcastInstance;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.NoSuchElementException;
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

    private Huisclos(Settings settings, HazelcastInstance hazelcast, RoomRegistry registry, Vertx vertx,
                     MediaNode media, SignalingServer signaling, int httpPort, long heartbeatTimer) {
        this.settings = settings;
        this.hazelcast = hazelcast;
        this.registry = registry;
        this.vertx = vertx;
        this.media = media;
        this.signaling = signaling;
        this.httpPort = httpPort;
        this.heartbeatTimer = heartbeatTimer;
    }

    public static Huisclos start(Settings s) throws Exception {
        HazelcastInstance hazelcast = Hazelcasts.start(s.clusterName(), "127.0.0.1", s.clusterPort(), s.clusterMembers());
        Vertx vertx = Vertx.vertx();
        try {
            RoomRegistry registry = new RoomRegistry(hazelcast, NodeSelector.LEAST_LOADED);
            MediaNode media = new MediaNode(new MediaNodeConfig(s.nodeId(), s.mediaBind(), s.mediaUdpPort(),
                    s.publicIp(), s.mediaCapacity(), s.rembBitrate()));
            await(vertx.deployVerticle(media));
            media.onRoomClosed(key -> vertx.executeBlocking(() -> {
                registry.roomClosed(key, s.nodeId());
                return null;
            }, false));
            heartbeat(registry, s, media, new int[3]);
            long timer = vertx.setPeriodic(HEARTBEAT_MS, id -> media.load().onSuccess(load ->
                    vertx.executeBlocking(() -> {
                        heartbeat(registry, s, media, load);
                        return null;
                    }, false)));
            SignalingServer signaling = new SignalingServer(vertx, s.httpPort(), s.httpBind(), new RoomKeys(s.roomKeySecret()),
                    roomKey -> vertx.executeBlocking(() -> registry.placeRoom(roomKey)
                            .orElseThrow(() -> new NoSuchElementException("no media node can take a new room")), false));
            int port = await(signaling.start());
            return new Huisclos(s, hazelcast, registry, vertx, media, signaling, port, timer);
        } catch (Exception e) {
            vertx.close();
            hazelcast.shutdown();
            throw e;
        }
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
