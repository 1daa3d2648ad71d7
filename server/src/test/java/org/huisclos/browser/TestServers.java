package org.huisclos.browser;

import java.util.HashMap;
import java.util.Map;

import org.huisclos.launcher.Huisclos;
import org.huisclos.launcher.Settings;
import org.huisclos.launcher.TestCluster;

/** Huisclos in one process for browser tests, on free ports. */
final class TestServers {
    private TestServers() {
    }

    /**
     * Serves HTTP and media on {@code address} and advertises it (e.g. a {@link TestNetwork}'s host
     * side, which browsers inside the namespace and on this machine both reach); {@code extra}
     * settings override the defaults.
     */
    static Huisclos start(String address, String label, Map<String, String> extra) throws Exception {
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
    static String origin(String address, Huisclos server) {
        return "http://" + address + ":" + server.httpPort();
    }
}
