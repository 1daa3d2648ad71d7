package org.huisclos.turn;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's coturn ({@code /usr/bin/turnserver}, package coturn, which {@code ./huisclos test}
 * installs) as a child process of a test: TURN over UDP and TCP on one address and port, with
 * {@code use-auth-secret} (the credentials of {@link TurnCredentials}), no TLS, no CLI, and
 * relays on the same address. Loopback peers are allowed, so that a test's media node on 127.0.0.1
 * can be reached through the relay. {@link #close()} stops exactly this process, by its pid.
 *
 * <pre>
 * try (Coturn turn = Coturn.start("127.0.0.1", 0, secret)) {
 *     env.put("HUISCLOS_TURN_URLS", turn.url("udp"));   // turn:127.0.0.1:PORT?transport=udp
 *     env.put("HUISCLOS_TURN_SECRET", secret);
 * }
 * </pre>
 */
public final class Coturn implements AutoCloseable {
    public static final Path TURNSERVER = Path.of("/usr/bin/turnserver");
    public static final String REALM = "huisclos.test";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(15);

    private final Process process;
    private final String listenIp;
    private final int port;
    private final Path dir;

    private Coturn(Process process, String listenIp, int port, Path dir) {
        this.process = process;
        this.listenIp = listenIp;
        this.port = port;
        this.dir = dir;
    }

    /** Starts coturn on {@code listenIp}:{@code port} (0: a free port) and waits until it answers STUN. */
    public static Coturn start(String listenIp, int port, String secret) throws IOException {
        return start(listenIp, port, secret, null);
    }

    /**
     * As {@link #start(String, int, String)}, reading {@code configFile} first (e.g. deploy/'s
     * turnserver.conf); the command-line options given here override it.
     */
    public static Coturn start(String listenIp, int port, String secret, Path configFile) throws IOException {
        if (!Files.isExecutable(TURNSERVER)) {
            throw new IllegalStateException(TURNSERVER + " is missing: `./huisclos test` installs it, or run as root: "
                    + "apt-get install -y --no-install-recommends coturn");
        }
        int p = port != 0 ? port : freePort(listenIp);
        Path dir = Files.createTempDirectory("huisclos-coturn");
        // A configuration with proc-user makes coturn drop from root to that user, which must still open its files.
        dir.toFile().setWritable(true, false);
        dir.toFile().setReadable(true, false);
        dir.toFile().setExecutable(true, false);
        List<String> command = new ArrayList<>(List.of(TURNSERVER.toString()));
        if (configFile != null) {
            command.addAll(List.of("-c", configFile.toAbsolutePath().toString()));
        } else {
            command.add("-n"); // no configuration file: only what is said here
        }
        command.addAll(List.of(
                "--listening-ip=" + listenIp, "--listening-port=" + p, "--relay-ip=" + listenIp,
                "--use-auth-secret", "--static-auth-secret=" + secret, "--realm=" + REALM,
                "--no-tls", "--no-dtls", "--allow-loopback-peers", "--no-cli",
                "--min-port=49160", "--max-port=49999",
                "--pidfile=" + dir.resolve("turnserver.pid"), "--userdb=" + dir.resolve("turndb"),
                "--log-file=stdout", "--simple-log"));
        Path log = dir.resolve("turnserver.log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Coturn coturn = new Coturn(process, listenIp, p, dir);
        try (TurnClient client = new TurnClient(coturn.address())) {
            long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
            while (System.nanoTime() < deadline && process.isAlive()) {
                if (client.bindingAnswered(Duration.ofMillis(500))) {
                    return coturn;
                }
            }
        } catch (IOException | RuntimeException e) {
            coturn.close();
            throw e;
        }
        String output = coturn.log();
        coturn.close();
        throw new IllegalStateException("coturn did not answer on " + listenIp + ":" + p + " within "
                + READY_TIMEOUT.toSeconds() + " s; its output:\n" + output);
    }

    /** A port free for both UDP and TCP on {@code ip} (TURN listens on both under one number). */
    private static int freePort(String ip) throws IOException {
        InetAddress address = InetAddress.getByName(ip);
        for (int attempt = 0; attempt < 20; attempt++) {
            try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(address, 0))) {
                int candidate = udp.getLocalPort();
                try (ServerSocket tcp = new ServerSocket(candidate, 1, address)) {
                    return candidate;
                } catch (IOException taken) {
                    // that number is taken for TCP: try another
                }
            }
        }
        throw new IOException("no port free for both UDP and TCP on " + ip);
    }

    public int port() {
        return port;
    }

    public InetSocketAddress address() {
        return new InetSocketAddress(listenIp, port);
    }

    /** A URL for HUISCLOS_TURN_URLS: {@code turn:<ip>:<port>?transport=<udp|tcp>}. */
    public String url(String transport) {
        return "turn:" + listenIp + ":" + port + "?transport=" + transport;
    }

    public long pid() {
        return process.pid();
    }

    /** What coturn printed so far (for failure messages). */
    public String log() {
        try {
            return Files.readString(dir.resolve("turnserver.log"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** Stops this coturn (SIGTERM to its pid, SIGKILL after 5 s) and removes its files. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.deleteIfExists(f);
            }
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // a temp directory left behind is harmless
        }
    }
}
