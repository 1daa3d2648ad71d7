package org.huisclos.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.net.BindException;
import java.net.DatagramSocket;
import java.net.HttpURLConnection;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code ./huisclos doctor}: checks this process's configuration (the same HUISCLOS_* variables as
 * {@code ./huisclos start}) and says in plain words what is wrong and how to fix it: the public
 * address, the ports, the cluster members, TLS, Java. Exit code 0 when nothing needs fixing, 1
 * otherwise. It changes nothing: it only binds each port for a moment and connects to the members.
 */
public final class Doctor {
    /** How long a cluster member gets to accept a TCP connection. */
    static final int CONNECT_TIMEOUT_MS = 1500;
    /** How long a process holding an HTTP port gets to answer /health (a freshly started JVM answers slowly). */
    static final int HEALTH_TIMEOUT_MS = 4000;
    private static final String HUISCLOS_HOLDS = ": a Huisclos ";
    private static final String ANSWERS_HEALTH = " (it answers /health)";

    /** OK: fine; NOTE: worth knowing, nothing to fix; PROBLEM: needs fixing (exit code 1). */
    enum Level { OK, NOTE, PROBLEM }

    /** One thing the doctor found: what, and for a problem or a note, what to do. */
    record Finding(Level level, String what, String fix) {
        static Finding ok(String what) {
            return new Finding(Level.OK, what, "");
        }

        static Finding note(String what, String fix) {
            return new Finding(Level.NOTE, what, fix);
        }

        static Finding problem(String what, String fix) {
            return new Finding(Level.PROBLEM, what, fix);
        }
    }

    private Doctor() {
    }

    public static void main(String[] args) {
        System.exit(run(System.getenv(), System.out));
    }

    /** Checks, prints the findings to {@code out}, and returns the exit code (0 fine, 1 something to fix). */
    static int run(Map<String, String> env, PrintStream out) {
        List<Finding> findings = check(env);
        String role = env.getOrDefault("HUISCLOS_ROLE", "");
        out.println("Huisclos doctor: checking this server's configuration (HUISCLOS_ROLE="
                + (role.isBlank() ? "all" : role.trim()) + ")");
        out.println();
        long problems = 0;
        for (Finding f : findings) {
            String tag = switch (f.level()) {
                case OK -> "ok     ";
                case NOTE -> "note   ";
                case PROBLEM -> "PROBLEM";
            };
            out.println(wrap("  " + tag + "  ", f.what()));
            if (!f.fix().isEmpty()) {
                out.println(wrap("           ", (f.level() == Level.PROBLEM ? "fix: " : "") + f.fix()));
            }
            if (f.level() == Level.PROBLEM) {
                problems++;
            }
        }
        out.println();
        out.println(problems == 0 ? "Nothing needs fixing."
                : problems + (problems == 1 ? " thing needs" : " things need") + " fixing (see PROBLEM above).");
        return problems == 0 ? 0 : 1;
    }

    /** {@code text} after {@code first}, wrapped at 100 columns, continued lines indented by 11. */
    static String wrap(String first, String text) {
        StringBuilder out = new StringBuilder(first);
        int column = first.length();
        for (String word : text.split(" ")) {
            if (column > 11 && column + 1 + word.length() > 100) {
                out.append('\n').append(" ".repeat(11));
                column = 11;
            } else if (column > first.length() || (column > 11 && out.charAt(out.length() - 1) != ' ')) {
                out.append(' ');
                column++;
            }
            out.append(word);
            column += word.length();
        }
        return out.toString();
    }

    /** Every check, in the order they are printed. */
    static List<Finding> check(Map<String, String> env) {
        List<Finding> findings = new ArrayList<>();
        findings.add(java());
        Settings s;
        try {
            s = Settings.fromEnvironment(env);
        } catch (Settings.Invalid e) {
            findings.add(Finding.problem("configuration error: " + e.getMessage(),
                    "correct that variable; ./huisclos start refuses to start until it is (docs/configuration.md)."));
            return findings;
        } catch (IllegalArgumentException e) {
            findings.add(Finding.problem("configuration error: " + e.getMessage(),
                    "correct that variable (docs/configuration.md)."));
            return findings;
        }
        findings.add(Finding.ok("the HUISCLOS_* variables are valid"));
        if (s.role().runsMedia()) {
            findings.add(publicAddress(s));
        }
        findings.addAll(ports(s));
        findings.addAll(members(s));
        if (s.role().runsSignaling()) {
            findings.add(tls(s));
        }
        return findings;
    }

    static Finding java() {
        Runtime.Version v = Runtime.version();
        if (v.feature() < 17) {
            return Finding.problem("Java " + v + " is too old: Huisclos needs Java 17 or later",
                    "install a JDK 17 (Debian: apt-get install openjdk-17-jdk-headless) and put it first on the PATH.");
        }
        return Finding.ok("Java " + v + " (17 or later needed)");
    }

    static Finding publicAddress(Settings s) {
        String why = "browsers send audio and video to the address the media node advertises (HUISCLOS_PUBLIC_IP)";
        String fix = "set HUISCLOS_PUBLIC_IP to this server's public IP address (the one browsers reach it at), "
                + "e.g. HUISCLOS_PUBLIC_IP=203.0.113.10 ./huisclos start";
        if (s.publicIpDefaulted()) {
            return Finding.problem("HUISCLOS_PUBLIC_IP is not set, so the media node advertises 127.0.0.1: only "
                    + "browsers on this machine get media; remote participants join but see and hear nobody", fix + ".");
        }
        InetAddress a;
        try {
            a = InetAddress.getByName(s.publicIp()); // an IP literal (Settings checked it): no DNS lookup
        } catch (UnknownHostException e) {
            return Finding.problem("HUISCLOS_PUBLIC_IP is not an IP address", fix + ".");
        }
        if (a.isLoopbackAddress()) {
            return Finding.problem("HUISCLOS_PUBLIC_IP is a loopback address (" + s.publicIp() + "): only browsers on "
                    + "this machine get media; remote participants see and hear nobody", fix + ".");
        }
        if (a.isAnyLocalAddress() || a.isMulticastAddress()) {
            return Finding.problem("HUISCLOS_PUBLIC_IP (" + s.publicIp() + ") is not an address browsers can send to: "
                    + "nobody gets media", fix + ".");
        }
        if (isPrivate(a)) {
            return Finding.problem("HUISCLOS_PUBLIC_IP is a private address (" + s.publicIp() + "): only browsers on "
                    + "the same private network get media; participants on the internet see and hear nobody",
                    fix + ". Behind NAT, use the public address and forward UDP (and TCP) port " + s.mediaUdpPort()
                    + " to this machine. If every participant is on this private network, you may ignore this.");
        }
        return Finding.ok("HUISCLOS_PUBLIC_IP " + s.publicIp() + " is a public address (" + why + ")");
    }

    /** RFC 1918, RFC 6598 (carrier-grade NAT), link-local, IPv6 unique-local. */
    static boolean isPrivate(InetAddress a) {
        if (a.isSiteLocalAddress() || a.isLinkLocalAddress()) {
            return true;
        }
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) {
            return (b[0] & 0xff) == 100 && (b[1] & 0xc0) == 64; // 100.64.0.0/10
        }
        return (b[0] & 0xfe) == 0xfc; // fc00::/7
    }

    static List<Finding> ports(Settings s) {
        List<Finding> findings = new ArrayList<>();
        if (s.role().runsSignaling()) {
            findings.add(tcpPort("HUISCLOS_HTTP_PORT", "HTTP (web client, WebSocket, /metrics)", "HUISCLOS_HTTP_BIND",
                    s.httpBind(), s.httpPort(), true));
        }
        if (s.role().runsMedia()) {
            findings.add(udpPort(s));
            findings.add(tcpPort("HUISCLOS_MEDIA_TCP_PORT", "media ICE-TCP", "HUISCLOS_MEDIA_BIND",
                    s.mediaBind(), s.mediaTcpPort(), false));
            if (!s.role().runsSignaling()) {
                findings.add(tcpPort("HUISCLOS_MEDIA_HTTP_PORT", "media /metrics, /health, /ready",
                        "HUISCLOS_HTTP_BIND", s.httpBind(), s.mediaHttpPort(), true));
            }
        }
        Finding cluster = tcpPort("HUISCLOS_CLUSTER_PORT", "Hazelcast cluster member", "HUISCLOS_CLUSTER_BIND",
                s.clusterBind(), s.clusterPort(), false);
        findings.add(cluster.level() == Level.PROBLEM && !cluster.what().contains("not an address")
                // Hazelcast takes the next free port: it starts, but members listing this port miss it.
                ? Finding.problem(cluster.what() + " (Hazelcast would take the next free port, which the other "
                        + "members' HUISCLOS_CLUSTER_MEMBERS do not list)", cluster.fix())
                : cluster);
        return findings;
    }

    private static Finding tcpPort(String var, String what, String bindVar, String host, int port, boolean http) {
        if (port == 0) {
            return Finding.ok(var + " is 0: " + what + " takes any free port");
        }
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(host), port));
            return Finding.ok("TCP port " + port + " (" + what + ", " + var + ") is free on " + host);
        } catch (BindException e) {
            if (e.getMessage() != null && e.getMessage().contains("assign")) {
                return notLocal(bindVar, host);
            }
            String who = whoHolds(host, port, http);
            return Finding.problem("TCP port " + port + " (" + what + ", " + var + ") is already taken on " + host
                    + who, takenFix(var, port, "tcp", who));
        } catch (IOException e) {
            return notLocal(bindVar, host);
        }
    }

    private static Finding udpPort(Settings s) {
        int port = s.mediaUdpPort();
        if (port == 0) {
            return Finding.ok("HUISCLOS_MEDIA_UDP_PORT is 0: the media node takes any free UDP port");
        }
        try (DatagramSocket socket = new DatagramSocket(null)) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(s.mediaBind()), port));
            return Finding.ok("UDP port " + port + " (media, HUISCLOS_MEDIA_UDP_PORT) is free on " + s.mediaBind()
                    + "; open it in the firewall (and TCP " + s.mediaTcpPort() + " for ICE-TCP)");
        } catch (BindException e) {
            if (e.getMessage() != null && e.getMessage().contains("assign")) {
                return notLocal("HUISCLOS_MEDIA_BIND", s.mediaBind());
            }
            String who = whoHolds(s.mediaBind(), port, false);
            return Finding.problem("UDP port " + port + " (media, HUISCLOS_MEDIA_UDP_PORT) is already taken on "
                    + s.mediaBind() + who, takenFix("HUISCLOS_MEDIA_UDP_PORT", port, "udp", who));
        } catch (IOException e) {
            return notLocal("HUISCLOS_MEDIA_BIND", s.mediaBind());
        }
    }

    private static Finding notLocal(String bindVar, String host) {
        return Finding.problem(bindVar + " (" + host + ") is not an address of this machine: nothing can listen there",
                "set " + bindVar + " to one of this machine's addresses (see `ip -brief address`), or 0.0.0.0 for all.");
    }

    private static String takenFix(String var, int port, String proto, String who) {
        if (who.endsWith(ANSWERS_HEALTH)) {
            return "if you meant to check the Huisclos that runs, this is expected: run the doctor before "
                    + "starting it. To run another one beside it, choose another port with " + var
                    + "=<port>; to replace it, stop it first (Ctrl-C, `kill <pid>`, or `docker compose stop`).";
        }
        return "stop what holds it (find it with `ss -" + (proto.equals("udp") ? "u" : "t") + "lnp 'sport = :" + port
                + "'`), or choose another port with " + var + "=<port>.";
    }

    /** ": Huisclos is running there" when we can tell, so that the admin does not hunt another program. */
    private static String whoHolds(String host, int port, boolean http) {
        if (http && answersHealth(host, port)) {
            return HUISCLOS_HOLDS + "is already running there" + ANSWERS_HEALTH;
        }
        Optional<ProcessHandle> huisclos = ProcessHandle.allProcesses()
                .filter(p -> p.pid() != ProcessHandle.current().pid())
                .filter(p -> p.info().commandLine().map(c -> c.contains("org.huisclos.launcher.Huisclos")
                        || c.contains("huisclos.jar")).orElse(false))
                .findFirst();
        return huisclos.map(p -> HUISCLOS_HOLDS + "process is running on this machine (pid " + p.pid()
                        + "), probably holding it")
                .orElse(": another program holds it");
    }

    private static boolean answersHealth(String host, int port) {
        String h = host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host.contains(":") ? "[" + host + "]" : host;
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create("http://" + h + ":" + port + "/health").toURL()
                    .openConnection();
            c.setConnectTimeout(CONNECT_TIMEOUT_MS);
            c.setReadTimeout(HEALTH_TIMEOUT_MS);
            try {
                return c.getResponseCode() == 200
                        && new String(c.getInputStream().readAllBytes(), StandardCharsets.UTF_8).contains("\"up\"");
            } finally {
                c.disconnect();
            }
        } catch (IOException | IllegalArgumentException e) {
            return false;
        }
    }

    static List<Finding> members(Settings s) {
        List<Finding> findings = new ArrayList<>();
        if (s.clusterMembers().isEmpty()) {
            findings.add(Finding.ok("HUISCLOS_CLUSTER_MEMBERS is empty: this process runs standalone"
                    + (s.role() == Role.ALL ? "" : " (a " + s.role().name().toLowerCase()
                    + " process usually joins other members: list them there)")));
            return findings;
        }
        for (String member : s.clusterMembers()) {
            int colon = member.lastIndexOf(':');
            String host = member.substring(0, colon);
            int port = Integer.parseInt(member.substring(colon + 1));
            if (isSelf(s, host, port)) {
                findings.add(Finding.ok("cluster member " + member + " is this process"));
                continue;
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MS);
                findings.add(Finding.ok("cluster member " + member + " accepts connections"));
            } catch (SocketTimeoutException e) {
                findings.add(unreachable(member, "no answer within " + CONNECT_TIMEOUT_MS + " ms (a firewall, or a "
                        + "wrong address?)"));
            } catch (UnknownHostException e) {
                findings.add(unreachable(member, "the host name does not resolve"));
            } catch (IOException e) {
                findings.add(unreachable(member, "connection refused: nothing listens there"));
            }
        }
        return findings;
    }

    private static boolean isSelf(Settings s, String host, int port) {
        if (port != s.clusterPort()) {
            return false;
        }
        try {
            InetAddress a = InetAddress.getByName(host);
            return a.equals(InetAddress.getByName(s.clusterBind()));
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static Finding unreachable(String member, String why) {
        return Finding.problem("cluster member " + member + " (HUISCLOS_CLUSTER_MEMBERS) cannot be reached: " + why,
                "start that member, or correct its host:port in HUISCLOS_CLUSTER_MEMBERS; between servers, "
                        + "check WireGuard or the private network and the firewall. (When this is the first member "
                        + "you start, the others are not up yet: start them and run the doctor again.)");
    }

    static Finding tls(Settings s) {
        String proxy = listens("127.0.0.1", 443) ? " Something listens on port 443 of this machine: your TLS proxy?" : "";
        return Finding.note("Huisclos serves plain HTTP on port " + s.httpPort() + "; browsers allow camera and "
                        + "microphone only on https:// pages (or on localhost)." + proxy,
                "for remote participants, put a TLS proxy (e.g. Caddy, see deploy/README.md) in front of port "
                        + s.httpPort() + " with a certificate for your domain.");
    }

    private static boolean listens(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 300);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
