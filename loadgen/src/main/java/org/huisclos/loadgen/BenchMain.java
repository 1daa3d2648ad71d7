package org.huisclos.loadgen;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.huisclos.media.srtp.SrtpProfile;

/**
 * {@code ./huisclos bench [--quick]}: starts the process under test (a media node, then the plain relay) in
 * a JVM of its own — pinned to CPU 1 with taskset when there is one — runs scenarios against it from this
 * JVM, prints a table and writes target/bench/result.json (relative to the working directory).
 *
 * <p>Side by side with Janus: when {@code ./huisclos bench} runs it in a network namespace of its own and passes
 * {@code --janus-interface}, each scenario also runs against a Janus it starts ({@link JanusServer}), alternating
 * Huisclos (AES_CM, Janus' SRTP profile) and Janus runs, and the table ends with the ratios Huisclos/Janus.
 *
 * <pre>
 * --quick                2 rooms × 3 publishers × 2 subscribers: Huisclos GCM, then Huisclos AES_CM and Janus
 *                        alternated twice, then the relay floor (under 3 minutes)
 * --rooms N --publishers P --subscribers S   one scenario instead of the ramp
 * --bitrate BPS --fps F  video of each publisher (default 1000000, 30)
 * --profile gcm|cm|any   SRTP profile the generator offers (default gcm)
 * --warmup S --seconds S warm-up and measured window (default 5, 15)
 * --max-rooms N          ramp limit (default 64)
 * --no-relay             skip the floor
 * --no-janus             skip Janus
 * --pairs N              Huisclos/Janus pairs per scenario (default 2 with --quick, else 1)
 * --janus-interface IF   the namespace's interface that carries 127.0.0.1 (set by ./huisclos bench)
 * --jfr                  record a JFR profile of each SFU node in target/bench/
 * --out FILE             JSON result (default target/bench/result.json)
 * </pre>
 */
public final class BenchMain {
    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        Options o = Options.parse(args);
        Participant.decryptOneIn = o.decryptEvery;
        Path out = Path.of(o.out);
        Files.createDirectories(out.toAbsolutePath().getParent());
        List<JsonObject> rows = new ArrayList<>();
        System.out.println("huisclos bench: node pinned " + (NodeProcess.taskset() == null ? "(no taskset: not pinned)" : "to CPU " + o.nodeCpu)
                + "; " + Runtime.getRuntime().availableProcessors() + " CPUs; load average " + loadAverage());
        if (o.janus()) {
            System.out.println("Janus side by side: " + JanusServer.BINARY + " in this network namespace, interface "
                    + o.janusInterface);
        } else if (!o.noJanus) {
            System.out.println("Janus skipped: not in a bench namespace (run through ./huisclos bench, as root)");
        }
        if (o.quick) {
            Generator.Scenario base = new Generator.Scenario(2, 3, 2, o.bitrate, o.fps, SrtpProfile.AEAD_AES_128_GCM,
                    3, 10, false);
            rows.add(runOne(o, base));
            rows.addAll(pairs(o, base));
            if (!o.noRelay) {
                rows.add(runOne(o, plain(base)));
            }
        } else if (o.rooms > 0) {
            Generator.Scenario sc = new Generator.Scenario(o.rooms, o.publishers, o.subscribers, o.bitrate, o.fps,
                    o.profile, o.warmup, o.seconds, false);
            rows.add(runOne(o, sc));
            if (!o.noRelay) {
                rows.add(runOne(o, plain(sc)));
            }
            rows.addAll(pairs(o, sc));
        } else {
            // Ramp: rooms of 2 publishers + 4 receive-only subscribers, doubling up to 32 rooms, then 16 more
            // at a time, until Huisclos loses more than 0.1 %. Janus runs alongside until it loses more than 0.1 %.
            boolean janusSaturated = false;
            for (int rooms = 1; rooms <= o.maxRooms; rooms = rooms < 32 ? rooms * 2 : rooms + 16) {
                Generator.Scenario sc = new Generator.Scenario(rooms, 2, 4, o.bitrate, o.fps, o.profile, o.warmup,
                        o.seconds, false);
                JsonObject r = runOne(o, sc);
                rows.add(r);
                if (!o.noRelay) {
                    rows.add(runOne(o, plain(sc)));
                }
                if (!janusSaturated) {
                    List<JsonObject> pair = pairs(o, sc);
                    rows.addAll(pair);
                    for (JsonObject j : pair) {
                        if ("janus".equals(j.getString("mode")) && j.getDouble("lossPercent", 100.0) > 0.1) {
                            janusSaturated = true;
                            System.out.println("Janus lost more than 0.1 % at " + sc.describe() + ": no more Janus runs");
                        }
                    }
                }
                if (r.getDouble("lossPercent", 100.0) > 0.1) {
                    System.out.println("loss above 0.1 %: ramp stops at " + sc.describe());
                    break;
                }
            }
        }
        List<JsonObject> sideBySide = SideBySide.compare(rows);
        JsonObject result = new JsonObject()
                .put("date", Instant.now().toString())
                .put("command", String.join(" ", args))
                .put("machine", machine())
                .put("runs", Generator.array(rows))
                .put("sideBySide", Generator.array(sideBySide));
        Files.writeString(out, result.encodePrettily());
        System.out.println();
        System.out.print(table(rows));
        System.out.print(SideBySide.table(sideBySide));
        System.out.println("\nwritten: " + out);
    }

    /**
     * The Huisclos/Janus pairs of a scenario, alternated: Huisclos with AES_CM_128_HMAC_SHA1_80 (what Janus and
     * libsrtp negotiate), then Janus; none without Janus. When the scenario's own Huisclos run already used AES_CM
     * it counts as the first Huisclos run of the pairs.
     */
    private static List<JsonObject> pairs(Options o, Generator.Scenario sc) throws Exception {
        List<JsonObject> rows = new ArrayList<>();
        if (!o.janus()) {
            return rows;
        }
        Generator.Scenario cm = withProfile(sc, SrtpProfile.AES_CM_128_HMAC_SHA1_80);
        int pairs = o.pairs > 0 ? o.pairs : o.quick ? 2 : 1;
        // Janus rewrites sequence numbers, so receivers cannot pick the sender's sample by them: in the pairs
        // every received packet is decrypted and timed, for both systems alike.
        Participant.decryptOneIn = 1;
        try {
            for (int i = 0; i < pairs; i++) {
                if (i > 0 || sc.profile() != SrtpProfile.AES_CM_128_HMAC_SHA1_80 || o.decryptEvery > 1) {
                    rows.add(runOne(o, cm));
                }
                rows.add(runJanus(o, cm));
            }
        } finally {
            Participant.decryptOneIn = o.decryptEvery;
        }
        return rows;
    }

    static JsonObject runJanus(Options o, Generator.Scenario sc) {
        String label = "janus-" + sc.rooms() + "x" + sc.publishers() + "x" + sc.subscribers();
        Path dir = Path.of(o.out).toAbsolutePath().getParent();
        System.out.println("-- " + sc.describe() + " " + sc.profile() + ": starting " + label);
        JanusConfig config = new JanusConfig(o.janusInterface, sc.rooms(), sc.publishers(), 8088);
        try (JanusServer janus = JanusServer.start(config, dir.resolve(label + "-config"), dir.resolve(label + ".log"),
                NodeProcess.taskset(), o.nodeCpu);
             JanusSignaling api = new JanusSignaling(config.httpPort())) {
            api.open();
            JsonObject res = new Generator(sc, api, janus.pid()).run();
            System.out.println("   " + res.encode());
            return res;
        } catch (Exception e) {
            System.out.println("   failed: " + e);
            return new JsonObject().put("scenario", sc.describe()).put("mode", "janus").put("error", e.toString())
                    .put("lossPercent", 100.0);
        }
    }

    private static Generator.Scenario withProfile(Generator.Scenario s, SrtpProfile p) {
        return new Generator.Scenario(s.rooms(), s.publishers(), s.subscribers(), s.videoBitrate(), s.fps(), p,
                s.warmupSeconds(), s.measureSeconds(), false);
    }

    private static Generator.Scenario plain(Generator.Scenario s) {
        return new Generator.Scenario(s.rooms(), s.publishers(), s.subscribers(), s.videoBitrate(), s.fps(), null,
                s.warmupSeconds(), s.measureSeconds(), true);
    }

    static JsonObject runOne(Options o, Generator.Scenario sc) throws Exception {
        String label = (sc.plain() ? "relay-" : "sfu-") + sc.rooms() + "x" + sc.publishers() + "x" + sc.subscribers()
                + (sc.profile() == null ? "" : "-" + sc.profile().name());
        Path dir = Path.of(o.out).toAbsolutePath().getParent();
        Path jfr = o.jfr && !sc.plain() ? dir.resolve(label + ".jfr") : null;
        System.out.println("-- " + sc.describe() + (sc.plain() ? "" : " " + sc.profile()) + ": starting " + label);
        try (NodeProcess node = NodeProcess.start(sc.plain() ? "relay" : "sfu", o.nodeCpu, o.nodeOpts, jfr,
                dir.resolve(label + ".log"));
             NodeClient client = new NodeClient(node.controlPort)) {
            JsonObject res = new Generator(sc, client, node.pid(), node.mediaPort).run();
            System.out.println("   " + res.encode());
            return res;
        } catch (Exception e) {
            System.out.println("   failed: " + e);
            return new JsonObject().put("scenario", sc.describe()).put("mode", sc.plain() ? "plain-relay" : "sfu")
                    .put("error", e.toString()).put("lossPercent", 100.0);
        }
    }

    static String table(List<JsonObject> rows) {
        StringBuilder sb = new StringBuilder();
        String h = String.format("%-12s %-16s %-24s %10s %6s %8s %8s %8s %8s %8s %8s %7s %8s %9s %6s%n", "mode",
                "scenario", "srtp", "fwd pkt/s", "node%", "µs/fwd", "loss%", "worst%", "p50 ms", "p99 ms",
                "p999 ms", "rss MB", "kB/part", "join ms", "gen%");
        sb.append(h);
        for (JsonObject r : rows) {
            if (r.containsKey("error")) {
                sb.append(String.format("%-12s %-16s failed: %s%n", r.getString("mode"), r.getString("scenario"),
                        r.getString("error")));
                continue;
            }
            sb.append(String.format("%-12s %-16s %-24s %10.0f %6.1f %8s %8.3f %8.3f %8.2f %8.2f %8.2f %7.0f %8s %9s %6.1f%n",
                    r.getString("mode"), r.getString("scenario").replace(" plain", ""), r.getString("srtpProfile"),
                    r.getDouble("forwardedPerSecond"), r.getDouble("nodeCpuPercent"),
                    String.valueOf(r.getValue("cpuMicrosPerForwarded")), r.getDouble("lossPercent"),
                    r.getDouble("worstSubscriberLossPercent"), r.getLong("latencyMicrosP50") / 1000.0,
                    r.getLong("latencyMicrosP99") / 1000.0, r.getLong("latencyMicrosP999") / 1000.0,
                    r.getLong("rssLoadedKb") / 1024.0, String.valueOf(r.getValue("rssPerParticipantKb")),
                    r.getValue("joinMillisP50") == null ? "-" : r.getValue("joinMillisP50") + "/" + r.getValue("joinMillisMax"),
                    r.getDouble("generatorCpuPercent")));
        }
        return sb.toString();
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (Exception e) {
            return "?";
        }
    }

    private static JsonObject machine() {
        String cpu = "?";
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    cpu = line.substring(line.indexOf(':') + 1).trim();
                    break;
                }
            }
        } catch (Exception ignored) {
            // unknown
        }
        return new JsonObject().put("cpus", Runtime.getRuntime().availableProcessors()).put("cpu", cpu)
                .put("java", System.getProperty("java.vm.version")).put("loadAverage", loadAverage())
                .put("nodePinned", NodeProcess.taskset() != null);
    }

    static final class Options {
        boolean quick;
        boolean noRelay;
        boolean jfr;
        boolean noJanus;
        String janusInterface;
        int pairs;
        int rooms;
        int publishers = 2;
        int subscribers = 4;
        long bitrate = 1_000_000;
        int fps = 30;
        SrtpProfile profile = SrtpProfile.AEAD_AES_128_GCM;
        double warmup = 3;
        double seconds = 10;
        int maxRooms = 128;
        int decryptEvery = 8;
        String out = "target/bench/result.json";
        String nodeCpu = "1";
        String nodeOpts = System.getenv().getOrDefault("HUISCLOS_BENCH_NODE_OPTS", "-Xmx512m");

        /** Whether the Janus runs happen: not disabled, and inside the bench's namespace. */
        boolean janus() {
            return !noJanus && janusInterface != null;
        }

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--quick" -> o.quick = true;
                    case "--no-relay" -> o.noRelay = true;
                    case "--jfr" -> o.jfr = true;
                    case "--no-janus" -> o.noJanus = true;
                    case "--janus-interface" -> o.janusInterface = args[++i];
                    case "--pairs" -> o.pairs = Math.max(1, Integer.parseInt(args[++i]));
                    case "--decrypt-every" -> o.decryptEvery = Math.max(1, Integer.parseInt(args[++i]));
                    case "--rooms" -> o.rooms = Integer.parseInt(args[++i]);
                    case "--publishers" -> o.publishers = Integer.parseInt(args[++i]);
                    case "--subscribers" -> o.subscribers = Integer.parseInt(args[++i]);
                    case "--bitrate" -> o.bitrate = Long.parseLong(args[++i]);
                    case "--fps" -> o.fps = Integer.parseInt(args[++i]);
                    case "--warmup" -> o.warmup = Double.parseDouble(args[++i]);
                    case "--seconds" -> o.seconds = Double.parseDouble(args[++i]);
                    case "--max-rooms" -> o.maxRooms = Integer.parseInt(args[++i]);
                    case "--out" -> o.out = args[++i];
                    case "--node-cpu" -> o.nodeCpu = args[++i];
                    case "--profile" -> o.profile = switch (args[++i].toLowerCase()) {
                        case "gcm" -> SrtpProfile.AEAD_AES_128_GCM;
                        case "cm" -> SrtpProfile.AES_CM_128_HMAC_SHA1_80;
                        case "any" -> null;
                        default -> throw new IllegalArgumentException("--profile gcm|cm|any");
                    };
                    default -> throw new IllegalArgumentException("unknown option " + a + " (see BenchMain's javadoc)");
                }
            }
            return o;
        }
    }
}
