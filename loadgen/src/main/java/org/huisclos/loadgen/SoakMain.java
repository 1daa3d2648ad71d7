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
 * {@code ./huisclos soak [minutes]} (default 60): holds a meeting load on a media node in a JVM of its own (pinned
 * to CPU 1, as the bench's) with joins and leaves churning ({@link SoakLoad}), samples the node every minute and
 * says whether it held: heap after a full GC grew less than 5 %, no more threads (besides the DTLS handshake
 * pool, which follows the join rate within its bound: {@link SoakReport}) or file descriptors at the end than at
 * the start, no loss in the first and the last window, no join that failed. Prints a line per sample
 * and a summary, writes target/soak/result.json; exit code 0 when all held, 1 otherwise, 2 on a bad option.
 *
 * <pre>
 * MINUTES                  length of the run, from the moment every participant has joined (default 60, at least 3)
 * --rooms N --publishers P --subscribers S   the load (default 20 rooms of 2 publishers + 4 subscribers)
 * --bitrate BPS --fps F    video of each publisher (default 300000, 30)
 * --churn-ms MS            one leave + one join every MS (default 2000)
 * --decrypt-every N        receivers decrypt and count one packet in N (default 1: every packet)
 * --out FILE               JSON result (default target/soak/result.json); the node's log beside it (node.log)
 * --node-cpu C             CPU to pin the node to (default 1)
 * </pre>
 * The first sample, the start, comes two minutes after the joins, over a 30-s window after a 90-s warm-up (long
 * enough for what the 120 joins at once leave behind for a while); each later one covers the minute since the one
 * before. At each sample the window's loss is counted, then the node runs three
 * full GCs (the {@code gc} op of {@link NodeMain}) outside any measured window, then heap (the live bytes of the
 * class histogram: what the JVM reports as used moves by megabytes with G1's region placement), RSS, threads and file
 * descriptors are read (threads and descriptors: the least of ten readings over 2.5 s; the most is in the JSON
 * too). CPU per forwarded packet is the node's CPU time over its packetsOut between samples, the
 * forced GCs left out.
 */
public final class SoakMain {
    private SoakMain() {
    }

    public static void main(String[] args) throws Exception {
        Options o;
        try {
            o = Options.parse(args);
        } catch (RuntimeException e) {
            System.err.println("huisclos soak: " + e.getMessage());
            System.exit(2);
            return;
        }
        Participant.decryptOneIn = o.decryptEvery;
        Path out = Path.of(o.out).toAbsolutePath();
        Files.createDirectories(out.getParent());
        Generator.Scenario sc = new Generator.Scenario(o.rooms, o.publishers, o.subscribers, o.bitrate, o.fps,
                SrtpProfile.AEAD_AES_128_GCM, 90, 60, false);
        System.out.println("huisclos soak: " + o.minutes + " min, " + sc.describe() + " ("
                + sc.rooms() * sc.participantsPerRoom() + " participants), video " + o.bitrate / 1000 + " kbit/s at "
                + o.fps + " fps (" + Generator.Sender.packetsPerFrame(sc) + " packet(s)/frame), one leave + one join every "
                + o.churnMillis + " ms; node pinned " + (NodeProcess.taskset() == null ? "nowhere (no taskset)" : "to CPU "
                + o.nodeCpu) + ", options " + o.nodeOpts + "; " + Proc.machineCpus() + " CPUs");
        NodeProcess node = NodeProcess.start("sfu", o.nodeCpu, o.nodeOpts, null, out.getParent().resolve("node.log"));
        // Ctrl-C: the node goes with us (its own handle; close is idempotent).
        Thread hook = new Thread(node::close, "soak-stop-node");
        Runtime.getRuntime().addShutdownHook(hook);
        int rc;
        try (NodeClient client = new NodeClient(node.controlPort);
             SoakLoad load = new SoakLoad(sc, client)) {
            rc = run(o, sc, node, client, load, out);
        } finally {
            node.close();
        }
        System.exit(rc);
    }

    private static int run(Options o, Generator.Scenario sc, NodeProcess node, NodeClient client, SoakLoad load,
                           Path out) throws Exception {
        long pid = node.pid();
        long joinStart = System.nanoTime();
        load.joinAll();
        System.out.printf("%d participants joined in %.1f s; node pid %d%n", load.joins.get(),
                (System.nanoTime() - joinStart) / 1e9, pid);
        long initialJoins = load.joins.get();
        load.startSending();
        load.startChurn(o.churnMillis);
        long t0 = System.nanoTime();
        Thread.sleep(90_000); // warm-up
        JsonObject prevStats = client.stats();
        long prevCpu = Proc.cpuNanos(pid);
        long self = ProcessHandle.current().pid();
        long prevSelf = Proc.cpuNanos(self);
        long prevNanos = System.nanoTime();
        long prevDrops = Proc.udpReceiveBufferDrops();
        load.startWindow();
        List<JsonObject> samples = new ArrayList<>();
        JsonObject firstClasses = null;
        JsonObject lastClasses = null;
        System.out.println(SoakReport.header());
        for (int minute = 2; minute <= o.minutes; minute++) {
            long wait = t0 + minute * 60_000_000_000L - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000L);
            }
            if (!node.alive()) {
                throw new IllegalStateException("the node exited; see " + out.getParent().resolve("node.log"));
            }
            SoakLoad.Loss loss = load.endWindow();
            JsonObject stats = client.stats();
            long cpu = Proc.cpuNanos(pid);
            long selfCpu = Proc.cpuNanos(self);
            long nanos = System.nanoTime();
            long drops = Proc.udpReceiveBufferDrops();
            JsonObject gc = client.gc();
            long rss = Proc.rssKb(pid);
            // Threads and descriptors: the least of ten readings over 2.5 s, longer than a churn period, so that a
            // thread the node holds for a while is not taken for growth (what leaks stays); the most is kept too.
            // The node starts a DTLS handshake thread per handshake and lets it go after 30 s idle: under churn
            // the count rises and falls by one every churn period.
            long[] threads = {Long.MAX_VALUE, 0};
            long[] fds = {Long.MAX_VALUE, 0};
            for (int i = 0; i < 10; i++) {
                minMax(threads, Proc.threads(pid));
                minMax(fds, Proc.fds(pid));
                Thread.sleep(250);
            }
            long[] srtp = load.srtpFailuresAndPlis();
            long forwarded = stats.getLong("packetsOut") - prevStats.getLong("packetsOut");
            JsonObject sample = new JsonObject()
                    .put("minute", minute)
                    .put("time", Instant.now().toString())
                    .put("heapAfterGcKb", gc.getLong("liveBytes", gc.getLong("heapUsed")) / 1024)
                    .put("heapUsedAfterGcKb", gc.getLong("heapUsed") / 1024)
                    .put("nonHeapKb", gc.getLong("nonHeapUsed") / 1024)
                    .put("rssKb", rss)
                    .put("threads", threads[0]).put("threadsMax", threads[1])
                    .put("fds", fds[0]).put("fdsMax", fds[1])
                    .put("threadNames", new JsonObject(new java.util.LinkedHashMap<>(Proc.threadNames(pid))))
                    .put("forwardedPerSecond", Generator.round(forwarded / ((nanos - prevNanos) / 1e9), 0))
                    .put("nodeCpuPercent", Generator.round(100.0 * (cpu - prevCpu) / (nanos - prevNanos), 1))
                    .put("generatorCpuPercent", Generator.round(100.0 * (selfCpu - prevSelf) / (nanos - prevNanos), 1))
                    .put("cpuMicrosPerForwarded", forwarded <= 0 ? null : Generator.round((cpu - prevCpu) / 1000.0 / forwarded, 2))
                    .put("loss", loss.json())
                    .put("nodeDrops", stats.getLong("drops") - prevStats.getLong("drops"))
                    .put("nodeDropsByReasonSinceStart", stats.getJsonObject("dropsByReason"))
                    .put("udpReceiveBufferDrops", prevDrops < 0 || drops < 0 ? -1 : drops - prevDrops)
                    .put("nodeParticipants", stats.getInteger("participants"))
                    .put("nodeRooms", stats.getInteger("rooms"))
                    .put("nodeStreams", stats.getInteger("streams"))
                    .put("dtlsFailures", stats.getInteger("dtlsFailures"))
                    .put("consentExpirations", stats.getLong("consentExpirations"))
                    .put("joins", load.joins.get() - initialJoins).put("leaves", load.leaves.get())
                    .put("joinFailures", load.joinFailures.get()).put("leaveFailures", load.leaveFailures.get())
                    .put("joinMillisMax", load.joinMillisMax.get())
                    .put("srtpFailures", srtp[0]).put("plisReceived", srtp[1]);
            samples.add(sample);
            if (firstClasses == null) {
                firstClasses = gc.getJsonObject("classes");
            }
            lastClasses = gc.getJsonObject("classes");
            System.out.println(SoakReport.line(sample));
            // The next interval starts after the forced GCs, and its window once their backlog has drained (the
            // readings above took 2.5 s).
            prevStats = client.stats();
            prevCpu = Proc.cpuNanos(pid);
            prevSelf = Proc.cpuNanos(self);
            prevNanos = System.nanoTime();
            prevDrops = Proc.udpReceiveBufferDrops();
            if (minute < o.minutes) {
                load.startWindow();
            }
        }
        JsonObject result = new JsonObject()
                .put("date", Instant.now().toString())
                .put("command", "soak " + String.join(" ", o.args))
                .put("minutes", o.minutes)
                .put("load", new JsonObject().put("rooms", sc.rooms()).put("publishers", sc.publishers())
                        .put("subscribers", sc.subscribers()).put("videoBitrate", sc.videoBitrate()).put("fps", sc.fps())
                        .put("srtpProfile", sc.profile().name()).put("churnMillis", o.churnMillis)
                        .put("decryptOneIn", o.decryptEvery).put("initialJoins", initialJoins))
                .put("machine", new JsonObject().put("cpus", Proc.machineCpus())
                        .put("java", System.getProperty("java.vm.version")).put("nodeOptions", o.nodeOpts)
                        .put("nodePinned", NodeProcess.taskset() != null))
                .put("samples", new JsonArray(new ArrayList<>(samples)))
                .put("failedJoinsAndLeaves", new JsonArray(new ArrayList<>(load.failureLog)));
        SoakReport.Verdict verdict = SoakReport.verdict(samples.get(0), samples.get(samples.size() - 1), firstClasses,
                lastClasses);
        result.put("classesStart", firstClasses).put("classesEnd", lastClasses);
        result.put("summary", verdict.json()).put("passed", verdict.passed());
        Files.writeString(out, result.encodePrettily());
        System.out.println();
        System.out.print(verdict.table());
        System.out.println("\nwritten: " + out);
        return verdict.passed() ? 0 : 1;
    }

    private static void minMax(long[] minMax, long v) {
        minMax[0] = Math.min(minMax[0], v);
        minMax[1] = Math.max(minMax[1], v);
    }

    static final class Options {
        final List<String> args = new ArrayList<>();
        int minutes = 60;
        int rooms = 20;
        int publishers = 2;
        int subscribers = 4;
        long bitrate = 300_000;
        int fps = 30;
        long churnMillis = 2000;
        int decryptEvery = 1;
        String out = "target/soak/result.json";
        String nodeCpu = "1";
        String nodeOpts = System.getenv().getOrDefault("HUISCLOS_SOAK_NODE_OPTS", "-Xmx512m");

        static Options parse(String[] args) {
            Options o = new Options();
            o.args.addAll(List.of(args));
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--rooms" -> o.rooms = Integer.parseInt(args[++i]);
                    case "--publishers" -> o.publishers = Integer.parseInt(args[++i]);
                    case "--subscribers" -> o.subscribers = Integer.parseInt(args[++i]);
                    case "--bitrate" -> o.bitrate = Long.parseLong(args[++i]);
                    case "--fps" -> o.fps = Integer.parseInt(args[++i]);
                    case "--churn-ms" -> o.churnMillis = Math.max(100, Long.parseLong(args[++i]));
                    case "--decrypt-every" -> o.decryptEvery = Math.max(1, Integer.parseInt(args[++i]));
                    case "--out" -> o.out = args[++i];
                    case "--node-cpu" -> o.nodeCpu = args[++i];
                    default -> {
                        if (!a.matches("\\d+")) {
                            throw new IllegalArgumentException("unknown option " + a + " (see SoakMain's javadoc)");
                        }
                        o.minutes = Integer.parseInt(a);
                    }
                }
            }
            if (o.minutes < 3) {
                throw new IllegalArgumentException("a soak lasts at least 3 minutes (a warm-up, a start and an end)");
            }
            if (o.publishers < 1 || o.publishers > PairCounts.SLOTS || o.rooms < 1) {
                throw new IllegalArgumentException("--rooms >= 1 and 1 <= --publishers <= " + PairCounts.SLOTS);
            }
            return o;
        }
    }
}
