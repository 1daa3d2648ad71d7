package org.huisclos.launcher;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * A small Huisclos cluster in one JVM: each member a {@link Huisclos} with its own role, on its
 * own Hazelcast port from a fixed list, all members listing all ports. Close it to stop them all.
 */
public final class TestCluster implements AutoCloseable {
    private final String name;
    private final int[] ports;
    private final String members;
    private final Map<Integer, Huisclos> running = new HashMap<>();

    /** @param firstPort the first of {@code size} consecutive Hazelcast ports */
    public TestCluster(String name, int firstPort, int size) {
        this.name = name + "-" + ProcessHandle.current().pid();
        this.ports = IntStream.range(firstPort, firstPort + size).toArray();
        this.members = IntStream.of(ports).mapToObj(p -> "127.0.0.1:" + p).collect(Collectors.joining(","));
    }

    /** Starts member {@code index} with {@code role} ("signaling", "media", "all") and, for media, {@code nodeId}. */
    public Huisclos start(int index, String role, String nodeId) throws Exception {
        return start(index, role, nodeId, Map.of());
    }

    /** As {@link #start(int, String, String)}, with more environment variables. */
    public Huisclos start(int index, String role, String nodeId, Map<String, String> extra) throws Exception {
        Map<String, String> env = new HashMap<>(Map.of(
                "HUISCLOS_ROLE", role,
                "HUISCLOS_HTTP_PORT", "0",
                "HUISCLOS_HTTP_BIND", "127.0.0.1",
                "HUISCLOS_MEDIA_UDP_PORT", "0",
                "HUISCLOS_MEDIA_HTTP_PORT", "0",
                "HUISCLOS_MEDIA_BIND", "127.0.0.1",
                "HUISCLOS_PUBLIC_IP", "127.0.0.1",
                "HUISCLOS_CLUSTER_PORT", String.valueOf(ports[index]),
                "HUISCLOS_CLUSTER_MEMBERS", members,
                "HUISCLOS_CLUSTER_NAME", name));
        env.putAll(extra);
        if (nodeId != null) {
            env.put("HUISCLOS_NODE_ID", nodeId);
        }
        Huisclos h = Huisclos.start(Settings.fromEnvironment(env));
        running.put(index, h);
        return h;
    }

    /** Stops member {@code index} the clean way (its media node record goes at once). */
    public void stop(int index) {
        Huisclos h = running.remove(index);
        if (h != null) {
            h.close();
        }
    }

    public static void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + timeout + " waiting until " + what);
            }
            try {
                Thread.sleep(20); // polling step, bounded by the deadline
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /** Waits until every given media node heartbeats, as seen from {@code from}. */
    public static void awaitNodes(Huisclos from, String... nodeIds) {
        await("media nodes " + List.of(nodeIds) + " heartbeat", Duration.ofSeconds(20), () -> {
            for (String id : nodeIds) {
                if (!from.registry().nodeAlive(id)) {
                    return false;
                }
            }
            return true;
        });
    }

    @Override
    public void close() {
        for (Huisclos h : new ArrayList<>(running.values())) {
            try {
                h.close();
            } catch (RuntimeException e) {
                // keep closing the others
            }
        }
        running.clear();
    }
}
