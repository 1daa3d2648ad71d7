package org.huisclos.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * A small Huisclos cluster in one JVM: each member a {@link Huisclos} with its own role, on its
 * own Hazelcast port (free ones, picked at construction), all members listing all ports. Close it
 * to stop them all, the last started first.
 */
public final class TestCluster implements AutoCloseable {
    private final String name;
    private final int[] ports;
    private final String members;
    private final Map<Integer, Huisclos> running = new LinkedHashMap<>();

    /** A cluster of up to {@code size} members, on as many free Hazelcast ports. */
    public TestCluster(String name, int size) {
        this.name = name + "-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        this.ports = freePorts(size);
        this.members = IntStream.of(ports).mapToObj(p -> "127.0.0.1:" + p).collect(Collectors.joining(","));
    }

    /** {@code n} distinct TCP ports free on 127.0.0.1 now (all probed at once, so that they differ). */
    public static int[] freePorts(int n) {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            int[] ports = new int[n];
            for (int i = 0; i < n; i++) {
                ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                sockets.add(s);
                ports[i] = s.getLocalPort();
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            for (ServerSocket s : sockets) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // closing a probe socket
                }
            }
        }
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
        List<Huisclos> members = new ArrayList<>(running.values());
        java.util.Collections.reverse(members);
        for (Huisclos h : members) {
            try {
                h.close();
            } catch (RuntimeException e) {
                // keep closing the others
            }
        }
        running.clear();
    }
}
