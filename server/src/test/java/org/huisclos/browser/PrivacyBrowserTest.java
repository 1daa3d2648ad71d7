package org.huisclos.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.collection.ICollection;
import com.hazelcast.core.DistributedObject;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.multimap.MultiMap;
import com.hazelcast.replicatedmap.ReplicatedMap;
import com.hazelcast.spi.impl.SerializationServiceSupport;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.huisclos.launcher.Huisclos;
import org.huisclos.launcher.TestServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * DESIGN.md's privacy rules, checked after a real two-browser meeting with a distinctive room name
 * and display names: none of them, and none of the browsers' media addresses (the "address:port"
 * of each browser's selected ICE candidate, and "127.0.0.1:port" as the media node may see it), appears in any log line
 * (root JUL handler, every level that is produced), in the /metrics scrape, in any entry of any
 * Hazelcast map of any instance in this JVM (keys and values, as toString, as Java serialization
 * and as Hazelcast's own serialized bytes), nor in any file written during the test: regular files
 * modified since the test began under java.io.tmpdir and under the working directory, and the
 * regular files the JVM holds open (/proc/self/fd) but for jars, native libraries and the JDK's
 * own. Excluded, and listed in the output: Chromium's files (its temporary profile
 * huisclos-chromium-*, and its .org.chromium.* / scoped_dir* scratch files), which belong to the
 * browser, not to Huisclos. The WebSocket's source port is not known to the test and not searched.
 */
class PrivacyBrowserTest {
    private static final String ROOM = "privacy-zq81-boardroom";
    private static final List<String> NAMES = List.of("Ottoline", "Wenceslas");
    private static Huisclos server;
    private static long startedMillis;
    private static final List<BrowserParticipant> browsers = new ArrayList<>();
    private static final LogCapture logCapture = new LogCapture();

    @BeforeAll
    static void startServer() throws Exception {
        // A second before, for file systems whose modification times are coarse.
        startedMillis = System.currentTimeMillis() - 1_000;
        logCapture.install();
        server = TestServers.start("127.0.0.1", "privacy-test", Map.of());
    }

    @AfterAll
    static void stopAll() {
        logCapture.remove();
        for (BrowserParticipant b : browsers) {
            b.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private static BrowserParticipant join(String name) {
        BrowserParticipant b = new ChromiumParticipant(name);
        browsers.add(b);
        b.open("http://127.0.0.1:" + server.httpPort() + "/" + ROOM + "?name=" + name + "&autojoin=1");
        return b;
    }

    /** "address:port" of the browser's side of the selected ICE pair, once there is one. */
    private static String mediaAddress(BrowserParticipant b) {
        Object address = b.jsAsync("""
                (async () => {
                  const stats = await window.huisclos.pc.getStats();
                  let pair = null;
                  stats.forEach(s => { if (s.type === 'transport' && s.selectedCandidatePairId) pair = stats.get(s.selectedCandidatePairId); });
                  if (!pair) return null;
                  const local = stats.get(pair.localCandidateId);
                  return local && local.port ? (local.address || local.ip) + ':' + local.port : null;
                })()""");
        return (String) address;
    }

    private static String scrape() throws IOException, InterruptedException {
        // HTTP/1.1, as Prometheus scrapes: the JDK client's default asks for an upgrade to HTTP/2
        // over clear text (h2c), and twice in CI such a connection ended with EOF before the reply.
        HttpResponse<String> r = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort()
                + "/metrics")).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        return r.body();
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    /** The secrets found in {@code bytes}, as UTF-8 and as UTF-16 (big- and little-endian). */
    private static List<String> found(byte[] bytes, List<String> secrets) {
        List<String> hits = new ArrayList<>();
        for (String s : secrets) {
            if (contains(bytes, s.getBytes(StandardCharsets.UTF_8)) || contains(bytes, s.getBytes(StandardCharsets.UTF_16BE))
                    || contains(bytes, s.getBytes(StandardCharsets.UTF_16LE))) {
                hits.add(s);
            }
        }
        return hits;
    }

    private static List<String> found(String text, List<String> secrets) {
        return secrets.stream().filter(text::contains).toList();
    }

    private static byte[] javaSerialized(Object o) {
        if (!(o instanceof Serializable)) {
            return new byte[0];
        }
        try (ByteArrayOutputStream out = new ByteArrayOutputStream(); ObjectOutputStream oos = new ObjectOutputStream(out)) {
            oos.writeObject(o);
            oos.flush();
            return out.toByteArray();
        } catch (IOException e) {
            return new byte[0]; // a graph with something not serializable: toString and Hazelcast's bytes still count
        }
    }

    private static byte[] hazelcastSerialized(HazelcastInstance hz, Object o) {
        if (hz instanceof SerializationServiceSupport s) {
            var data = s.getSerializationService().toData(o);
            return data == null ? new byte[0] : data.toByteArray();
        }
        return new byte[0];
    }

    private static void checkObject(HazelcastInstance hz, String where, Object o, List<String> secrets, List<String> leaks) {
        if (o == null) {
            return;
        }
        for (String s : found(String.valueOf(o), secrets)) {
            leaks.add(where + " (toString) holds " + s);
        }
        for (String s : found(javaSerialized(o), secrets)) {
            leaks.add(where + " (Java serialization) holds " + s);
        }
        for (String s : found(hazelcastSerialized(hz, o), secrets)) {
            leaks.add(where + " (Hazelcast serialization) holds " + s);
        }
    }

    /** Every entry of every map (and item of every collection) of every Hazelcast instance of this JVM. */
    private static int checkHazelcast(List<String> secrets, List<String> leaks) {
        int entries = 0;
        for (HazelcastInstance hz : Hazelcast.getAllHazelcastInstances()) {
            for (DistributedObject d : hz.getDistributedObjects()) {
                String where = hz.getName() + "/" + d.getServiceName() + "/" + d.getName();
                for (String s : found(d.getName(), secrets)) {
                    leaks.add(where + " is named after " + s);
                }
                if (d instanceof IMap<?, ?> map) {
                    for (Map.Entry<?, ?> e : map.entrySet()) {
                        entries++;
                        checkObject(hz, where + " key", e.getKey(), secrets, leaks);
                        checkObject(hz, where + " value", e.getValue(), secrets, leaks);
                    }
                } else if (d instanceof MultiMap<?, ?> map) {
                    for (Map.Entry<?, ?> e : map.entrySet()) {
                        entries++;
                        checkObject(hz, where + " key", e.getKey(), secrets, leaks);
                        checkObject(hz, where + " value", e.getValue(), secrets, leaks);
                    }
                } else if (d instanceof ReplicatedMap<?, ?> map) {
                    for (Map.Entry<?, ?> e : map.entrySet()) {
                        entries++;
                        checkObject(hz, where + " key", e.getKey(), secrets, leaks);
                        checkObject(hz, where + " value", e.getValue(), secrets, leaks);
                    }
                } else if (d instanceof ICollection<?> items) {
                    for (Object item : items) {
                        entries++;
                        checkObject(hz, where + " item", item, secrets, leaks);
                    }
                }
            }
        }
        return entries;
    }

    private static boolean chromiums(Path p) {
        for (Path part : p) {
            String n = part.toString();
            if (n.startsWith("huisclos-chromium-") || n.startsWith(".org.chromium.") || n.startsWith("scoped_dir")
                    || n.startsWith(".com.google.Chrome.")) {
                return true;
            }
        }
        return false;
    }

    /** Regular files under {@code root} modified since the test began (Chromium's go to {@code excluded}). */
    private static void written(Path root, TreeSet<Path> files, TreeSet<Path> excluded) throws IOException {
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                if (!dir.equals(root) && chromiums(root.relativize(dir))) {
                    excluded.add(dir);
                    return FileVisitResult.SKIP_SUBTREE;
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (attrs.isRegularFile() && attrs.lastModifiedTime().toMillis() >= startedMillis) {
                    (chromiums(root.relativize(file)) ? excluded : files).add(file);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                return FileVisitResult.CONTINUE; // another user's file: not ours
            }
        });
    }

    /** Regular files this JVM holds open, but for jars, native libraries and the JDK's own files. */
    private static List<Path> openFiles() throws IOException {
        List<Path> open = new ArrayList<>();
        Path jdk = Path.of(System.getProperty("java.home")).toRealPath();
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    Path target = Files.readSymbolicLink(fd);
                    String t = target.toString();
                    if (!target.isAbsolute() || !Files.isRegularFile(target) || target.startsWith(jdk)
                            || t.endsWith(".jar") || t.endsWith(".so") || t.contains(".so.") || chromiums(target)) {
                        continue;
                    }
                    open.add(target);
                } catch (IOException e) {
                    // the descriptor closed meanwhile
                }
            }
        }
        return open;
    }

    @Test
    void aMeetingLeavesNoRoomNameDisplayNameOrMediaAddressBehind() throws Exception {
        BrowserParticipant first = join(NAMES.get(0));
        BrowserParticipant second = join(NAMES.get(1));
        List<String> addresses = new ArrayList<>();
        for (BrowserParticipant b : browsers) {
            b.waitUntil(b.name() + " joined", Duration.ofSeconds(30),
                    () -> b.js("return window.huisclos.participantId") != null);
        }
        for (BrowserParticipant b : browsers) {
            b.waitUntil(b.name() + " has a selected ICE pair", Duration.ofSeconds(60), () -> mediaAddress(b) != null);
            String address = mediaAddress(b);
            assertTrue(address.matches("[0-9a-fA-F.:]+:\\d{1,5}"), "an address:port, got " + address);
            addresses.add(address);
            // Over loopback the media node may see the same port from 127.0.0.1.
            String loopback = "127.0.0.1" + address.substring(address.lastIndexOf(':'));
            if (!addresses.contains(loopback)) {
                addresses.add(loopback);
            }
        }
        for (BrowserParticipant b : List.of(first, second)) {
            b.waitUntil(b.name() + " sees the other", Duration.ofSeconds(30), () -> ((Number) b.js(
                    "return Object.keys(window.huisclos.participants).length")).intValue() == 1);
        }
        List<String> secrets = new ArrayList<>();
        secrets.add(ROOM);
        secrets.addAll(NAMES);
        secrets.addAll(addresses);
        List<String> leaks = new ArrayList<>();

        // Logs.
        assertTrue(!logCapture.lines().isEmpty(), "the log capture works (the server logs its start)");
        for (String line : logCapture.lines()) {
            for (String s : found(line, secrets)) {
                leaks.add("log line names " + s + ": " + line.strip());
            }
        }
        // Metrics.
        String metrics = scrape();
        assertTrue(metrics.contains("huisclos_"), "the scrape has Huisclos's series");
        for (String s : found(metrics, secrets)) {
            leaks.add("/metrics names " + s);
        }
        // The Hazelcast scan finds what is there: a canary map that names the room is reported.
        IMap<String, List<String>> canary = server.hazelcast().getMap("privacy-canary");
        canary.put("k", List.of("x", ROOM));
        List<String> canaryLeaks = new ArrayList<>();
        checkHazelcast(List.of(ROOM), canaryLeaks);
        assertTrue(canaryLeaks.stream().anyMatch(l -> l.contains("privacy-canary value (Hazelcast serialization)")),
                "the scan misses a value it should find: " + canaryLeaks);
        canary.destroy();
        // Hazelcast, during the meeting.
        int entries = checkHazelcast(secrets, leaks);
        assertTrue(entries > 0, "the registry holds the meeting's room and nodes");

        // Files written during the test, and files the JVM holds open.
        TreeSet<Path> files = new TreeSet<>();
        TreeSet<Path> excluded = new TreeSet<>();
        written(Path.of(System.getProperty("java.io.tmpdir")).toRealPath(), files, excluded);
        written(Path.of("").toAbsolutePath(), files, excluded);
        List<Path> open = openFiles();
        TreeSet<Path> scanned = new TreeSet<>(files);
        scanned.addAll(open);
        for (Path f : scanned) {
            try {
                if (Files.size(f) > 64L << 20) {
                    leaks.add("too large to scan: " + f);
                    continue;
                }
                for (String s : found(Files.readAllBytes(f), secrets)) {
                    leaks.add("file " + f + " holds " + s);
                }
            } catch (IOException e) {
                // gone or unreadable since the walk
            }
        }
        // Printed after the scan, so that the test's own output (which names the profiles) is not scanned.
        System.out.println("PrivacyBrowserTest: files written during the test: " + files);
        System.out.println("PrivacyBrowserTest: excluded (Chromium's): " + excluded);
        System.out.println("PrivacyBrowserTest: regular files the JVM holds open: " + open);
        System.out.println("PrivacyBrowserTest: browsers' media addresses searched for: " + addresses);
        assertTrue(leaks.isEmpty(), "the meeting left traces: " + String.join("\n", leaks)
                + "\n(searched for " + secrets + ")");
    }
}
