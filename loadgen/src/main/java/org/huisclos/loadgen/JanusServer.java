package org.huisclos.loadgen;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Janus the bench starts for one run: {@code [taskset -c CPU] /usr/bin/janus -F <dir> -C <dir>/janus.jcfg}
 * with the {@link JanusConfig} written into {@code dir}, stdout and stderr to {@code log}. It must run in the
 * bench's network namespace (the one {@code ./huisclos bench} makes), where the interface named in the config
 * carries 127.0.0.1. Stopped by its own pid (SIGTERM, then SIGKILL after 10 s).
 */
final class JanusServer implements AutoCloseable {
    static final String BINARY = "/usr/bin/janus";

    private final Process process;
    private final JanusConfig config;

    private JanusServer(Process process, JanusConfig config) {
        this.process = process;
        this.config = config;
    }

    /** Starts Janus and waits until its HTTP API answers (up to 20 s). */
    static JanusServer start(JanusConfig config, Path dir, Path log, String taskset, String cpu) throws Exception {
        config.write(dir);
        List<String> cmd = new ArrayList<>();
        if (taskset != null) {
            cmd.add(taskset);
            cmd.add("-c");
            cmd.add(cpu);
        }
        cmd.addAll(List.of(BINARY, "-F", dir.toAbsolutePath().toString(), "-C",
                dir.resolve("janus.jcfg").toAbsolutePath().toString(), "-o"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        JanusServer server = new JanusServer(p, config);
        try (JanusSignaling probe = new JanusSignaling(config.httpPort())) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!probe.ready()) {
                if (!p.isAlive()) {
                    throw new IllegalStateException("Janus exited with " + p.exitValue() + " at start; see " + log);
                }
                if (System.nanoTime() - deadline > 0) {
                    server.close();
                    throw new IllegalStateException("Janus' HTTP API did not answer within 20 s; see " + log);
                }
                Thread.sleep(100);
            }
        }
        return server;
    }

    /** The Janus process itself (taskset execs it: same pid). */
    long pid() {
        return process.pid();
    }

    JanusConfig config() {
        return config;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy(); // our own child, by its handle
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
    }
}
