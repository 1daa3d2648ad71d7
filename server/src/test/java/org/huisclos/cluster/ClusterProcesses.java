package org.huisclos.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A Huisclos cluster on loopback for tests: every member is a separate JVM
 * ({@code java -cp <test class path> org.huisclos.launcher.Huisclos}) configured by environment
 * variables, with its standard output and error in {@code target/cluster-logs/<cluster>-<name>.log}.
 *
 * <p>Declare the members first ({@link #signaling}, {@link #media}): that picks their free ports,
 * so that every member's {@code HUISCLOS_CLUSTER_MEMBERS} names all of them. Then {@link #startAll}
 * starts them one after the other, each waiting until ready, so that the first member forms the
 * cluster alone and the others join it (no split cluster at start). {@link #close} stops every
 * process this object started, by its {@link Process} handle, and nothing else.
 */
public final class ClusterProcesses implements AutoCloseable {
    public static final Path LOG_DIR = Path.of("target", "cluster-logs");
    private static final String LOOPBACK = "127.0.0.1";
    private static final Duration POLL = Duration.ofMillis(200);

    private final String clusterName;
    private final List<Member> members = new ArrayList<>();
    private final Set<Integer> usedPorts = new HashSet<>();
    /** Where members serve HTTP and media, and what media nodes advertise: loopback unless {@link #serveOn}. */
    private String address = LOOPBACK;

    /** @param label short name of the test; the cluster name adds this JVM's pid and the time, so each run is alone */
    public ClusterProcesses(String label) {
        this.clusterName = label + "-" + ProcessHandle.current().pid() + "-" + Long.toString(System.currentTimeMillis(), 36);
        try {
            Files.createDirectories(LOG_DIR);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Members started from now on serve HTTP and media on {@code address} and media nodes advertise
     * it, e.g. a {@code TestNetwork}'s host side for browsers in a namespace. Hazelcast stays on loopback.
     */
    public ClusterProcesses serveOn(String address) {
        this.address = address;
        return this;
    }

    public String clusterName() {
        return clusterName;
    }

    public List<Member> members() {
        return List.copyOf(members);
    }

    /** Declares a signaling member (HUISCLOS_ROLE=signaling, also a registry member); not started yet. */
    public Member signaling(String name) {
        Member m = new Member(this, name, "signaling", freeTcpPort(), freeTcpPort(), -1);
        members.add(m);
        return m;
    }

    /** Declares a media member (HUISCLOS_ROLE=media, HUISCLOS_NODE_ID=name); not started yet. */
    public Member media(String name) {
        Member m = new Member(this, name, "media", -1, freeTcpPort(), freeUdpPort());
        m.mediaHttpPort = freeTcpPort();
        members.add(m);
        return m;
    }

    /** Starts every declared member not yet started, in order, each ready before the next starts. */
    public void startAll(Duration eachTimeout) {
        for (Member m : members) {
            if (m.process == null) {
                m.start();
                m.awaitReady(eachTimeout);
            }
        }
    }

    String memberList() {
        return members.stream().map(m -> LOOPBACK + ":" + m.clusterPort).collect(Collectors.joining(","));
    }

    String signalingUrls() {
        return members.stream().filter(m -> m.httpPort > 0).map(m -> "http://" + address + ":" + m.httpPort)
                .collect(Collectors.joining(","));
    }

    private int freeTcpPort() {
        for (int i = 0; i < 50; i++) {
            try (ServerSocket s = new ServerSocket()) {
                s.setReuseAddress(false);
                s.bind(new InetSocketAddress(InetAddress.getByName(LOOPBACK), 0));
                if (usedPorts.add(s.getLocalPort())) {
                    return s.getLocalPort();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        throw new IllegalStateException("no free TCP port");
    }

    private int freeUdpPort() {
        for (int i = 0; i < 50; i++) {
            try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(LOOPBACK), 0))) {
                if (usedPorts.add(s.getLocalPort())) {
                    return s.getLocalPort();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        throw new IllegalStateException("no free UDP port");
    }

    /** Stops every process this cluster started (SIGTERM, then SIGKILL), the last started first. */
    @Override
    public void close() {
        List<Member> reversed = new ArrayList<>(members);
        java.util.Collections.reverse(reversed);
        // Ask them all at once, then wait: stopping one by one costs a Hazelcast migration each.
        for (Member m : reversed) {
            if (m.process != null && m.process.isAlive()) {
                m.process.destroy();
            }
        }
        for (Member m : reversed) {
            m.stop();
        }
    }

    /** One Huisclos process of the cluster. */
    public static final class Member {
        private final ClusterProcesses cluster;
        private final String name;
        private final String role;
        private final int httpPort;
        private final int clusterPort;
        private final int udpPort;
        private final Path log;
        private int mediaHttpPort = -1;
        private final Map<String, String> extraEnv = new LinkedHashMap<>();
        private volatile Process process;
        private volatile long startedAtNanos;
        private volatile long readyAtNanos;
        private volatile long killedAtMillis;

        private Member(ClusterProcesses cluster, String name, String role, int httpPort, int clusterPort, int udpPort) {
            this.cluster = cluster;
            this.name = name;
            this.role = role;
            this.httpPort = httpPort;
            this.clusterPort = clusterPort;
            this.udpPort = udpPort;
            this.log = LOG_DIR.resolve(cluster.clusterName + "-" + name + ".log");
        }

        public String name() {
            return name;
        }

        public int httpPort() {
            return httpPort;
        }

        public int clusterPort() {
            return clusterPort;
        }

        public int udpPort() {
            return udpPort;
        }

        /** A media member's HTTP port (/metrics, /health, /ready), or -1 for other roles. */
        public int mediaHttpPort() {
            return mediaHttpPort;
        }

        /** Base URL of this member's /metrics, /health and /ready, whatever its role. */
        public String opsUrl() {
            return "http://" + LOOPBACK + ":" + (httpPort > 0 ? httpPort : mediaHttpPort);
        }

        public Path log() {
            return log;
        }

        public String url() {
            if (httpPort < 0) {
                throw new IllegalStateException(name + " runs no HTTP server");
            }
            return "http://" + cluster.address + ":" + httpPort;
        }

        public Process process() {
            return process;
        }

        /** Wall-clock time of {@link #killHard()}, in milliseconds since the epoch; 0 before. */
        public long killedAtMillis() {
            return killedAtMillis;
        }

        /** Time from start to ready, or null before ready. */
        public Duration startDuration() {
            return readyAtNanos == 0 ? null : Duration.ofNanos(readyAtNanos - startedAtNanos);
        }

        /** Sets another environment variable before start (e.g. HUISCLOS_MEDIA_CAPACITY). */
        public Member env(String key, String value) {
            extraEnv.put(key, value);
            return this;
        }

        Map<String, String> environment() {
            Map<String, String> env = new LinkedHashMap<>();
            env.put("HUISCLOS_ROLE", role);
            env.put("HUISCLOS_CLUSTER_NAME", cluster.clusterName);
            env.put("HUISCLOS_CLUSTER_PORT", Integer.toString(clusterPort));
            env.put("HUISCLOS_CLUSTER_BIND", LOOPBACK);
            env.put("HUISCLOS_CLUSTER_MEMBERS", cluster.memberList());
            env.put("HUISCLOS_PUBLIC_IP", cluster.address);
            env.put("HUISCLOS_HTTP_BIND", cluster.address);
            env.put("HUISCLOS_MEDIA_BIND", cluster.address);
            env.put("HUISCLOS_SIGNALING_URLS", cluster.signalingUrls());
            if (httpPort > 0) {
                env.put("HUISCLOS_HTTP_PORT", Integer.toString(httpPort));
            }
            if (udpPort > 0) {
                env.put("HUISCLOS_MEDIA_UDP_PORT", Integer.toString(udpPort));
                env.put("HUISCLOS_NODE_ID", name);
            }
            if (mediaHttpPort > 0) {
                env.put("HUISCLOS_MEDIA_HTTP_PORT", Integer.toString(mediaHttpPort));
            }
            env.putAll(extraEnv);
            return env;
        }

        /** Starts the JVM; returns at once (see {@link #awaitReady}). */
        public Member start() {
            if (process != null) {
                throw new IllegalStateException(name + " was already started");
            }
            List<String> cmd = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m", "-XX:+UseSerialGC",
                    // What Hazelcast asks for on Java 9+ (the jar's manifest says the same).
                    "--add-opens", "java.base/java.lang=ALL-UNNAMED",
                    "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
                    "--add-opens", "java.management/sun.management=ALL-UNNAMED",
                    "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED",
                    "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED",
                    "-cp", System.getProperty("java.class.path"),
                    "org.huisclos.launcher.Huisclos"));
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
            // Nothing of the test JVM's own HUISCLOS_* environment leaks into the member.
            pb.environment().keySet().removeIf(k -> k.startsWith("HUISCLOS_"));
            pb.environment().putAll(environment());
            startedAtNanos = System.nanoTime();
            try {
                process = pb.start();
            } catch (IOException e) {
                throw new UncheckedIOException("could not start " + name, e);
            }
            return this;
        }

        /**
         * Waits until the member serves: a signaling member until {@code GET /ready} answers 200, a
         * media member until it prints "media node … is running". Fails at once if the process exits.
         */
        public Member awaitReady(Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
            String mediaLine = "media node " + name + " is running";
            while (true) {
                if (!process.isAlive()) {
                    throw new AssertionError(name + " exited with " + process.exitValue() + " before it was ready; log "
                            + log + ":\n" + tail(40));
                }
                boolean ready;
                if (httpPort > 0) {
                    ready = httpStatus(http, url() + "/ready") == 200;
                } else {
                    ready = logText().contains(mediaLine);
                }
                if (ready) {
                    readyAtNanos = System.nanoTime();
                    return this;
                }
                if (System.nanoTime() - deadline >= 0) {
                    throw new AssertionError(name + " not ready after " + timeout + "; log " + log + ":\n" + tail(40));
                }
                sleep(POLL);
            }
        }

        /** SIGKILL (Process.destroyForcibly on Linux), no shutdown hook runs; waits until it is gone. */
        public void killHard() {
            killedAtMillis = System.currentTimeMillis();
            process.destroyForcibly();
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    throw new AssertionError(name + " still alive 30 s after SIGKILL");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** SIGTERM (the shutdown hook leaves the cluster), up to 20 s, then SIGKILL. */
        public void stop() {
            Process p = process;
            if (p == null || !p.isAlive()) {
                return;
            }
            p.destroy();
            try {
                if (!p.waitFor(20, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    p.waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            }
        }

        public String logText() {
            try {
                return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
            } catch (IOException e) {
                return "";
            }
        }

        /** The last {@code lines} lines of the member's log, for failure messages. */
        public String tail(int lines) {
            List<String> all = logText().lines().toList();
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        }

        @Override
        public String toString() {
            return name + "(" + role + (httpPort > 0 ? ", http " + httpPort : "") + (udpPort > 0 ? ", udp " + udpPort : "")
                    + ", hazelcast " + clusterPort + ")";
        }
    }

    /** HTTP status of a GET, or -1 when nothing answers. */
    public static int httpStatus(HttpClient http, String url) {
        try {
            HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(3)).GET()
                    .build(), HttpResponse.BodyHandlers.discarding());
            return r.statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
