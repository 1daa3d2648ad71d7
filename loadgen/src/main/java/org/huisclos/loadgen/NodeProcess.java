package org.huisclos.loadgen;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The process under test of the bench and the soak: {@link NodeMain} (a media node or the plain relay) in a
 * JVM of its own, pinned to one CPU with taskset when there is one, its stderr in a log file. It is stopped by
 * its own {@link Process} handle ({@link #close}, idempotent, also from a shutdown hook): nothing else.
 */
final class NodeProcess implements AutoCloseable {
    private final Process process;
    final int controlPort;
    final int mediaPort;
    private boolean closed;

    private NodeProcess(Process process, int controlPort, int mediaPort) {
        this.process = process;
        this.controlPort = controlPort;
        this.mediaPort = mediaPort;
    }

    /**
     * Starts {@code NodeMain mode} and waits until it serves.
     *
     * @param mode     "sfu" or "relay"
     * @param cpu      the CPU to pin it to (when taskset is there)
     * @param javaOpts JVM options, space-separated
     * @param jfr      a JFR recording to write, or null
     * @param log      where its stderr goes
     */
    static NodeProcess start(String mode, String cpu, String javaOpts, Path jfr, Path log) throws IOException {
        List<String> cmd = new ArrayList<>();
        String taskset = taskset();
        if (taskset != null) {
            cmd.add(taskset);
            cmd.add("-c");
            cmd.add(cpu);
        }
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String opt : javaOpts.trim().split("\\s+")) {
            if (!opt.isEmpty()) {
                cmd.add(opt);
            }
        }
        if (jfr != null) {
            cmd.add("-XX:StartFlightRecording=settings=profile,filename=" + jfr);
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(NodeMain.class.getName());
        cmd.add(mode);
        Process node = new ProcessBuilder(cmd).redirectError(log.toFile()).start();
        try {
            BufferedReader r = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("CONTROL ")) {
                    String[] f = line.split(" ");
                    Thread drain = new Thread(() -> {
                        try {
                            r.transferTo(java.io.Writer.nullWriter());
                        } catch (IOException ignored) {
                            // gone
                        }
                    }, "node-stdout");
                    drain.setDaemon(true);
                    drain.start();
                    return new NodeProcess(node, Integer.parseInt(f[1]), Integer.parseInt(f[3]));
                }
            }
            throw new IOException("the node exited before it served; see " + log);
        } catch (IOException | RuntimeException e) {
            stop(node);
            throw e;
        }
    }

    /** The java process itself, not taskset (taskset execs java: same pid). */
    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            stop(process);
        }
    }

    private static void stop(Process node) {
        node.destroy(); // this process's own child, by its handle
        try {
            if (!node.waitFor(10, TimeUnit.SECONDS)) {
                node.destroyForcibly();
                node.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            node.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** The taskset binary, or null when there is none. */
    static String taskset() {
        for (String p : new String[] {"/usr/bin/taskset", "/bin/taskset"}) {
            if (new File(p).canExecute()) {
                return p;
            }
        }
        return null;
    }
}
