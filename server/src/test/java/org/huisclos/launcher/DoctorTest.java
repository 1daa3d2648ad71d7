package org.huisclos.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** ./huisclos doctor: each problem is reported with its fix, and the exit code says whether something needs fixing. */
class DoctorTest {
    /** A configuration that needs nothing fixed: every port 0 (any free one), loopback, a public address, standalone. */
    private static Map<String, String> fine() {
        Map<String, String> env = new HashMap<>();
        env.put("HUISCLOS_ROLE", "all");
        env.put("HUISCLOS_PUBLIC_IP", "203.0.113.10");
        env.put("HUISCLOS_HTTP_PORT", "0");
        env.put("HUISCLOS_HTTP_BIND", "127.0.0.1");
        env.put("HUISCLOS_MEDIA_UDP_PORT", "0");
        env.put("HUISCLOS_MEDIA_TCP_PORT", "0");
        env.put("HUISCLOS_MEDIA_BIND", "127.0.0.1");
        env.put("HUISCLOS_CLUSTER_PORT", "0");
        return env;
    }

    private record Result(int exit, String output) {
    }

    private static Result run(Map<String, String> env) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int exit = Doctor.run(env, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return new Result(exit, bytes.toString(StandardCharsets.UTF_8));
    }

    private static List<Doctor.Finding> problems(Map<String, String> env) {
        return Doctor.check(env).stream().filter(f -> f.level() == Doctor.Level.PROBLEM).toList();
    }

    @Test
    void aGoodConfigurationExitsZero() {
        Result r = run(fine());
        assertEquals(0, r.exit(), r.output());
        assertTrue(r.output().contains("Nothing needs fixing."), r.output());
        assertTrue(r.output().contains("https://"), "the TLS reminder is printed: " + r.output());
        assertTrue(r.output().contains("Java " + Runtime.version()), r.output());
    }

    @Test
    void missingPublicAddressIsReportedWithTheFix() {
        Map<String, String> env = fine();
        env.remove("HUISCLOS_PUBLIC_IP");
        Result r = run(env);
        assertEquals(1, r.exit(), r.output());
        List<Doctor.Finding> p = problems(env);
        assertEquals(1, p.size(), p.toString());
        assertTrue(p.get(0).what().contains("HUISCLOS_PUBLIC_IP is not set"), p.toString());
        assertTrue(p.get(0).what().contains("remote participants"), p.toString());
        assertTrue(p.get(0).fix().contains("set HUISCLOS_PUBLIC_IP to this server's public IP address"), p.toString());
        assertTrue(r.output().contains("PROBLEM  HUISCLOS_PUBLIC_IP is not set") && r.output().contains("fix: set HUISCLOS_PUBLIC_IP"),
                r.output());
    }

    @Test
    void loopbackAndPrivatePublicAddressesAreProblems() {
        for (String address : List.of("127.0.0.1", "10.1.2.3", "192.168.1.20", "172.20.0.5", "100.64.1.1", "fd00::1")) {
            Map<String, String> env = fine();
            env.put("HUISCLOS_PUBLIC_IP", address);
            List<Doctor.Finding> p = problems(env);
            assertEquals(1, p.size(), address + ": " + p);
            assertTrue(p.get(0).what().contains(address) && p.get(0).fix().contains("HUISCLOS_PUBLIC_IP"), p.toString());
        }
    }

    @Test
    void aTakenPortIsReportedWithTheFix() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            int port = taken.getLocalPort();
            Map<String, String> env = fine();
            env.put("HUISCLOS_HTTP_PORT", String.valueOf(port));
            Result r = run(env);
            assertEquals(1, r.exit(), r.output());
            List<Doctor.Finding> p = problems(env);
            assertEquals(1, p.size(), p.toString());
            assertTrue(p.get(0).what().contains("TCP port " + port) && p.get(0).what().contains("already taken"), p.toString());
            assertTrue(p.get(0).fix().contains("HUISCLOS_HTTP_PORT=<port>") && p.get(0).fix().contains("sport = :" + port),
                    p.toString());
        }
    }

    @Test
    void aRunningHuisclosOnThePortIsNamed() throws Exception {
        // Answers /health as Huisclos does; the doctor asks it who holds the port.
        com.sun.net.httpserver.HttpServer fake = com.sun.net.httpserver.HttpServer.create(
                new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        fake.createContext("/health", exchange -> {
            byte[] body = "{\"status\":\"up\"}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        fake.start();
        try {
            int port = fake.getAddress().getPort();
            Map<String, String> env = fine();
            env.put("HUISCLOS_HTTP_PORT", String.valueOf(port));
            List<Doctor.Finding> p = problems(env);
            assertEquals(1, p.size(), p.toString());
            assertTrue(p.get(0).what().contains("a Huisclos is already running there"), p.toString());
            assertTrue(p.get(0).fix().contains("HUISCLOS_HTTP_PORT=<port>") && p.get(0).fix().contains("stop it first"),
                    p.toString());
        } finally {
            fake.stop(0);
        }
    }

    @Test
    void aTakenUdpPortIsReportedWithTheFix() throws Exception {
        try (DatagramSocket taken = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0))) {
            int port = taken.getLocalPort();
            Map<String, String> env = fine();
            env.put("HUISCLOS_MEDIA_UDP_PORT", String.valueOf(port));
            List<Doctor.Finding> p = problems(env);
            assertEquals(1, p.size(), p.toString());
            assertTrue(p.get(0).what().contains("UDP port " + port) && p.get(0).fix().contains("HUISCLOS_MEDIA_UDP_PORT"),
                    p.toString());
        }
    }

    @Test
    void anUnreachableClusterMemberIsReported() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            closed = s.getLocalPort();
        } // closed again: nothing listens there now
        try (ServerSocket open = new ServerSocket()) {
            open.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            Map<String, String> env = fine();
            env.put("HUISCLOS_CLUSTER_MEMBERS", "127.0.0.1:" + open.getLocalPort() + ",127.0.0.1:" + closed);
            Result r = run(env);
            assertEquals(1, r.exit(), r.output());
            List<Doctor.Finding> p = problems(env);
            assertEquals(1, p.size(), p.toString());
            assertTrue(p.get(0).what().contains("cluster member 127.0.0.1:" + closed) && p.get(0).what().contains("cannot be reached"),
                    p.toString());
            assertTrue(p.get(0).fix().contains("HUISCLOS_CLUSTER_MEMBERS"), p.toString());
            assertTrue(r.output().contains("cluster member 127.0.0.1:" + open.getLocalPort() + " accepts connections"), r.output());
        }
    }

    @Test
    void aBadValuePrintsTheMessageOfSettings() {
        Map<String, String> env = fine();
        env.put("HUISCLOS_MEDIA_CAPACITY", "lots");
        Result r = run(env);
        assertEquals(1, r.exit(), r.output());
        assertTrue(r.output().contains("HUISCLOS_MEDIA_CAPACITY must be a whole number, got 'lots'"), r.output());
    }
}
