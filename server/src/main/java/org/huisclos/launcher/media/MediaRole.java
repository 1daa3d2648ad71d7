package org.huisclos.launcher.media;

import com.sun.management.OperatingSystemMXBean;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.huisclos.media.MediaNode;
import org.huisclos.media.MediaNodeConfig;
import org.huisclos.registry.NodeRecord;
import org.huisclos.registry.NodeState;
import org.huisclos.registry.RoomRegistry;

/**
 * A media node in the cluster: the SFU verticle, plus its heartbeat to the registry every second
 * (participants, streams, packet rate, CPU) and the registry bookkeeping of its rooms.
 */
public final class MediaRole {
    static final long HEARTBEAT_MS = 1000;
    static final long DRAIN_POLL_MS = 100;
    public static final long DRAIN_TIMEOUT_MS = 30_000;

    private final Vertx vertx;
    private final RoomRegistry registry;
    private final MediaNodeConfig config;
    private final String region;
    private final String memberUuid;
    private final MediaNode node;
    private final OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private volatile NodeState state = NodeState.SERVING;
    private MediaMetrics metrics; // held: its function meters read through it
    private long timer;
    private io.vertx.core.eventbus.MessageConsumer<Object> admin;
    private volatile Runnable onDrained = () -> { };
    private long lastPackets;
    /** The other media nodes' cluster members, as of the last heartbeat (node id → member uuid). */
    private volatile Map<String, String> peerMembers = Map.of();
    private long lastBeatNanos = System.nanoTime();

    private MediaRole(Vertx vertx, RoomRegistry registry, MediaNodeConfig config, String region, String memberUuid) {
        this.vertx = vertx;
        this.registry = registry;
        this.config = config;
        this.region = region;
        this.memberUuid = memberUuid;
        this.node = new MediaNode(config);
    }

    /** @param region the node's region for placement (empty: none) */
    public static Future<MediaRole> start(Vertx vertx, RoomRegistry registry, MediaNodeConfig config, String region,
                                          String memberUuid, io.micrometer.core.instrument.MeterRegistry meters) {
        MediaRole role = new MediaRole(vertx, registry, config, region, memberUuid);
        return vertx.deployVerticle(role.node).compose(id -> vertx.executeBlocking(() -> {
            registry.forgetRoomsOf(config.nodeId());
            role.beat(new int[3]);
            return role;
        }, false)).onSuccess(r -> {
            r.metrics = MediaMetrics.bind(meters, r.node);
            r.node.onRoomClosed(key -> vertx.executeBlocking(() -> {
                registry.roomClosed(key, config.nodeId());
                return null;
            }, false));
            r.admin = vertx.eventBus().consumer(org.huisclos.contract.Addresses.mediaAdmin(config.nodeId()), r::onAdmin);
            r.timer = vertx.setPeriodic(HEARTBEAT_MS, id -> r.node.load().onSuccess(load -> {
                r.metrics.load(load);
                vertx.executeBlocking(() -> {
                    r.beat(load);
                    return null;
                }, false);
            }));
        });
    }

    /**
     * The Hazelcast member {@code memberUuid} left: relay links to the media nodes it ran close at
     * once. Which nodes those were comes from the last heartbeat's view of the registry, since the
     * records themselves are removed by whichever member sees the departure first.
     */
    public void memberLeft(String memberUuid) {
        List<String> gone = new ArrayList<>();
        peerMembers.forEach((node, member) -> {
            if (member.equals(memberUuid)) {
                gone.add(node);
            }
        });
        if (!gone.isEmpty()) {
            Map<String, String> left = new HashMap<>(peerMembers);
            gone.forEach(left::remove);
            peerMembers = left;
            node.peersGone(gone);
        }
    }

    private synchronized void beat(int[] load) {
        long now = System.nanoTime();
        long packets = node.counters().packetsIn();
        double seconds = Math.max(0.001, (now - lastBeatNanos) / 1e9);
        long rate = (long) ((packets - lastPackets) / seconds);
        lastPackets = packets;
        lastBeatNanos = now;
        registry.heartbeat(new NodeRecord(config.nodeId(), config.publicAddress(), node.udpPort(), region,
                config.capacity(), load[0], load[2], rate, Math.max(0, os.getProcessCpuLoad()), memberUuid,
                state, System.currentTimeMillis()));
        // Kept until memberLeft used them: a departed node's record may be gone before its member's departure is seen.
        Map<String, String> members = new HashMap<>(peerMembers);
        for (NodeRecord n : registry.nodes()) {
            if (!n.nodeId().equals(config.nodeId()) && n.memberUuid() != null) {
                members.put(n.nodeId(), n.memberUuid());
            }
        }
        peerMembers = members;
    }

    /**
     * Puts the node in DRAINING: its next heartbeat (sent at once) says so, placement gives it no
     * new room, and signaling instances move its participants to other nodes. Completes with true
     * once no participant is left here, or false when {@code timeoutMillis} passed first.
     */
    public Future<Boolean> drain(long timeoutMillis) {
        state = NodeState.DRAINING;
        io.vertx.core.Promise<Boolean> drained = io.vertx.core.Promise.promise();
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        node.load().compose(load -> vertx.executeBlocking(() -> {
            beat(load);
            return null;
        }, false)).onComplete(beaten -> vertx.setPeriodic(1, DRAIN_POLL_MS, id -> node.load().onSuccess(load -> {
            if (load[0] == 0 || System.nanoTime() - deadline >= 0) {
                vertx.cancelTimer(id);
                drained.tryComplete(load[0] == 0);
            }
        }).onFailure(e -> {
            vertx.cancelTimer(id);
            drained.tryComplete(false);
        })));
        return drained.future();
    }

    /** Runs once a drain asked over the event bus ended (the process then exits, in production). */
    public void onDrained(Runnable listener) {
        this.onDrained = listener;
    }

    private void onAdmin(io.vertx.core.eventbus.Message<Object> msg) {
        try {
            org.huisclos.contract.MediaCodec.decodeDrain(msg.body());
        } catch (org.huisclos.contract.BadMessage bad) {
            msg.fail(bad.code, bad.getMessage());
            return;
        }
        node.load().onComplete(load -> msg.reply(org.huisclos.contract.MediaCodec.drainReply(
                load.succeeded() ? load.result()[0] : -1)));
        if (!draining()) {
            drain(DRAIN_TIMEOUT_MS).onComplete(done -> onDrained.run());
        }
    }

    public boolean draining() {
        return state == NodeState.DRAINING;
    }

    public MediaNode node() {
        return node;
    }

    public void stop() {
        vertx.cancelTimer(timer);
        if (admin != null) {
            admin.unregister();
        }
        try {
            registry.removeNode(config.nodeId());
        } catch (RuntimeException e) {
            // The registry is already gone (the member shut down): the node's record goes with it.
        }
    }
}
