package org.huisclos.browser;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A test host of our own: a network namespace joined to this machine by a veth pair, a /30 from
 * 198.51.100.0/24 (TEST-NET-2, RFC 5737), this side {@link #hostAddress()}, the namespace's side
 * {@link #guestAddress()}. Browsers run inside it so that they see a real interface: Firefox gathers
 * no candidate on loopback, and a test of closed networks needs a host whose way out can be cut
 * ({@link #allowOnly}). Servers under test listen on and advertise {@link #hostAddress()}.
 *
 * <p>Needs root (ip netns, veth, iptables): the browser tests fail, not skip, without it. Every
 * namespace is deleted on {@link #close()} or, for {@link #shared()}, when the JVM exits; a
 * namespace left by a JVM that was killed is deleted by the next one that starts (its name carries
 * the dead pid).
 */
public final class TestNetwork implements AutoCloseable {
    private static final String PREFIX = "hc-t";
    private static TestNetwork shared;

    private final String namespace;
    private final String hostIf;
    private final String hostAddress;
    private final String guestAddress;

    private TestNetwork(String namespace, String hostIf, String hostAddress, String guestAddress) {
        this.namespace = namespace;
        this.hostIf = hostIf;
        this.hostAddress = hostAddress;
        this.guestAddress = guestAddress;
    }

    /** One namespace for the whole test JVM, for browsers that need no restrictions. */
    public static synchronized TestNetwork shared() {
        if (shared == null) {
            shared = create();
            TestNetwork s = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(s::close, "test-network-cleanup"));
        }
        return shared;
    }

    /** A namespace of its own (e.g. one whose way out a test restricts); close it when done. */
    public static synchronized TestNetwork create() {
        if (!"root".equals(System.getProperty("user.name"))) {
            throw new IllegalStateException("the browser tests run browsers in a network namespace of their own,"
                    + " which needs root (ip netns, veth): run ./huisclos test as root");
        }
        deleteLeftovers();
        long pid = ProcessHandle.current().pid();
        String used = run(List.of("ip", "-o", "-4", "addr", "show"), true);
        for (int block = 1; block < 64; block++) {
            String host = "198.51.100." + (block * 4 + 1);
            if (used.contains(" " + host + "/")) {
                continue;
            }
            String guest = "198.51.100." + (block * 4 + 2);
            String ns = PREFIX + pid + "-" + block;
            String hostIf = "hct" + Long.toString(pid, 36) + "h" + block;
            String guestIf = "hct" + Long.toString(pid, 36) + "g" + block;
            try {
                run(List.of("ip", "netns", "add", ns), false);
            } catch (IllegalStateException e) {
                continue; // taken meanwhile by another JVM: try the next block
            }
            TestNetwork net = new TestNetwork(ns, hostIf, host, guest);
            try {
                run(List.of("ip", "link", "add", hostIf, "type", "veth", "peer", "name", guestIf), false);
                run(List.of("ip", "link", "set", guestIf, "netns", ns), false);
                run(List.of("ip", "addr", "add", host + "/30", "dev", hostIf), false);
                run(List.of("ip", "link", "set", hostIf, "up"), false);
                run(List.of("ip", "-n", ns, "addr", "add", guest + "/30", "dev", guestIf), false);
                run(List.of("ip", "-n", ns, "link", "set", guestIf, "up"), false);
                run(List.of("ip", "-n", ns, "link", "set", "lo", "up"), false);
                return net;
            } catch (IllegalStateException e) {
                net.close();
                throw e;
            }
        }
        throw new IllegalStateException("no free /30 left in 198.51.100.0/24 for a test namespace");
    }

    /** The address this machine has on the link: servers under test bind to and advertise it. */
    public String hostAddress() {
        return hostAddress;
    }

    /** The namespace's own address. */
    public String guestAddress() {
        return guestAddress;
    }

    public String namespace() {
        return namespace;
    }

    /** {@code command} as run inside the namespace. */
    public List<String> inside(List<String> command) {
        List<String> out = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        out.addAll(command);
        return out;
    }

    /**
     * Makes a TCP port that a program in the namespace listens on at its own 127.0.0.1 (a browser's
     * control port) reachable here as 127.0.0.1 with the same port number, so that Host headers
     * still say 127.0.0.1:port. Stop the returned socat (and its children) when done.
     */
    public Process forwardPort(int port, Path log) throws IOException {
        return new ProcessBuilder("/usr/bin/socat", "TCP-LISTEN:" + port + ",bind=127.0.0.1,reuseaddr,fork",
                "EXEC:ip netns exec " + namespace + " /usr/bin/socat STDIO TCP\\:127.0.0.1\\:" + port)
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** Stops a process a test started here, by pid, with the children it forked. */
    public static void stop(Process p) {
        if (p == null) {
            return;
        }
        List<ProcessHandle> children = p.descendants().toList();
        children.forEach(ProcessHandle::destroy);
        p.destroy();
        try {
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                children.forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Cuts the namespace's way out down to what {@code allowed} names: iptables rules such as
     * {@code "-p udp --dport 3478"}, each for packets to {@link #hostAddress()}; everything else
     * leaving the namespace is dropped (its own loopback stays open, and answers to connections
     * made into it, e.g. the browser's control port, still go out).
     */
    public void allowOnly(List<String> allowed) {
        iptables("-A OUTPUT -o lo -j ACCEPT");
        iptables("-A OUTPUT -m conntrack --ctstate ESTABLISHED,RELATED -m conntrack --ctdir REPLY -j ACCEPT");
        for (String rule : allowed) {
            iptables("-A OUTPUT -d " + hostAddress + " " + rule + " -j ACCEPT");
        }
        iptables("-A OUTPUT -j DROP");
    }

    private void iptables(String rule) {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", namespace, "iptables"));
        cmd.addAll(List.of(rule.split(" ")));
        run(cmd, false);
    }

    @Override
    public synchronized void close() {
        // Deleting the namespace removes the veth pair with it; the host end goes too.
        run(List.of("ip", "netns", "delete", namespace), true);
        run(List.of("ip", "link", "delete", hostIf), true);
    }

    /** Namespaces of ours whose JVM is gone (killed before its shutdown hook ran). */
    private static void deleteLeftovers() {
        for (String line : run(List.of("ip", "netns", "list"), true).split("\n")) {
            String name = line.split(" ")[0];
            if (!name.startsWith(PREFIX) || !name.contains("-")) {
                continue;
            }
            String pidText = name.substring(PREFIX.length(), name.indexOf('-', PREFIX.length()));
            try {
                long pid = Long.parseLong(pidText);
                if (ProcessHandle.of(pid).isEmpty()) {
                    run(List.of("ip", "netns", "delete", name), true);
                }
            } catch (NumberFormatException e) {
                // not one of ours
            }
        }
    }

    /** Runs a command, returns its output; a failure throws unless {@code tolerant}. */
    static String run(List<String> command, boolean tolerant) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish within 30 s");
            }
            if (p.exitValue() != 0 && !tolerant) {
                throw new IllegalStateException(String.join(" ", command) + " failed (" + p.exitValue() + "): " + out.strip());
            }
            return out;
        } catch (IOException e) {
            if (tolerant) {
                return "";
            }
            throw new IllegalStateException("could not run " + String.join(" ", command) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + String.join(" ", command), e);
        }
    }
}
