package org.huisclos.launcher;

import java.util.HashMap;
import java.util.Map;


/**
 * Huisclos in one process (every role) for tests, on free ports: HTTP, media UDP and the Hazelcast
 * member each take a port the system gives, so that test classes never collide on a fixed one.
 * Whole-system tests start their server here; {@link TestCluster} starts several processes.
 */
public final class TestServers {
    private TestServers() {
    }

    /**
     * Serves HTTP and media on {@code address} and advertises it (e.g. a {@link TestNetwork}'s host
     * side, which browsers inside the namespace and on this machine both reach); {@code extra}
     * settings override the defaults.
     */
    public static Huisclos start(String address, String label, Map<String, String> extra) throws Exception {
        Map<String, String> env = new HashMap<>(Map.of(
                "HUISCLOS_HTTP_PORT", "0",
                "HUISCLOS_HTTP_BIND", address,
                "HUISCLOS_MEDIA_UDP_PORT", "0",
                "HUISCLOS_MEDIA_BIND", address,
                "HUISCLOS_PUBLIC_IP", address,
                "HUISCLOS_CLUSTER_PORT", String.valueOf(TestCluster.freePorts(1)[0]),
                "HUISCLOS_CLUSTER_NAME", label + "-" + ProcessHandle.current().pid()));
        env.putAll(extra);
        return Huisclos.start(Settings.fromEnvironment(env));
    }

    /** The page origin of {@code server} on {@code address}. */
    public static String origin(String address, Huisclos server) {
        return "http://" + address + ":" + server.httpPort();
    }
}
