package org.huisclos.launcher;

import com.sun.management.OperatingSystemMXBean;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.lang.management.ManagementFactory;
import org.huisclos.media.MediaNode;
import org.huisclos.media.MediaNodeConfig;
import org.huisclos.registry.NodeRecord;
import org.huisclos.registry.NodeState;
import org.huisclos.registry.RoomRegistry;

/**
 * A media node in the cluster: the SFU verticle, plus its heartbeat to the registry every second
 * (participants, streams, packet rate, CPU) and the registry bookkeeping of its rooms.
 */
final class MediaRole {
    static final long HEARTBEAT_MS = 1000;

    private final Vertx vertx;
    private final RoomRegistry registry;
    private final Settings settings;
    private final String memberUuid;
    private final MediaNode node;
    private final OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private volatile NodeState state = NodeState.SERVING;
    private MediaMetrics metrics; // held: its function meters read through it
    private long timer;
    private long lastPackets;
    private long lastBeatNanos = System.nanoTime();

    private MediaRole(Vertx vertx, RoomRegistry registry, Settings settings, String memberUuid) {
        this.vertx = vertx;
        this.registry = registry;
        this.settings = settings;
        this.memberUuid = memberUuid;
        this.node = new MediaNode(new MediaNodeConfig(settings.nodeId(), settings.mediaBind(), settings.mediaUdpPort(),
                settings.mediaTcpPort(), settings.publicIp(), settings.mediaCapacity(), settings.rembBitrate(),
                settings.testBlockMediaUdp()));
    }

    static Future<MediaRole> start(Vertx vertx, RoomRegistry registry, Settings settings, String memberUuid,
                                   io.micrometer.core.instrument.MeterRegistry meters) {
        MediaRole role = new MediaRole(vertx, registry, settings, memberUuid);
        return vertx.deployVerticle(role.node).compose(id -> vertx.executeBlocking(() -> {
            registry.forgetRoomsOf(settings.nodeId());
            role.beat(new int[3]);
            return role;
        }, false)).onSuccess(r -> {
            r.metrics = MediaMetrics.bind(meters, r.node);
            r.node.onRoomClosed(key -> vertx.executeBlocking(() -> {
                registry.roomClosed(key, settings.nodeId());
                return null;
            }, false));
            r.timer = vertx.setPeriodic(HEARTBEAT_MS, id -> r.node.load().onSuccess(load -> {
                r.metrics.load(load);
                vertx.executeBlocking(() -> {
                    r.beat(load);
                    return null;
                }, false);
            }));
        });
    }

    private synchronized void beat(int[] load) {
        long now = System.nanoTime();
        long packets = node.counters().packetsIn();
        double seconds = Math.max(0.001, (now - lastBeatNanos) / 1e9);
        long rate = (long) ((packets - lastPackets) / seconds);
        lastPackets = packets;
        lastBeatNanos = now;
        registry.heartbeat(new NodeRecord(settings.nodeId(), settings.publicIp(), node.udpPort(), settings.region(),
                settings.mediaCapacity(), load[0], load[2], rate, Math.max(0, os.getProcessCpuLoad()), memberUuid,
                state, System.currentTimeMillis()));
    }

    boolean draining() {
        return state == NodeState.DRAINING;
    }

    MediaNode node() {
        return node;
    }

    void stop() {
        vertx.cancelTimer(timer);
        try {
            registry.removeNode(settings.nodeId());
        } catch (RuntimeException e) {
            // The registry is already gone (the member shut down): the node's record goes with it.
        }
    }
}
