package org.huisclos.loadgen;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** The soak's printed lines and its verdict: start against end, and whether each target held. */
final class SoakReport {
    /** Heap after GC may grow by less than this, in %. */
    static final double HEAP_GROWTH_LIMIT = 5.0;

    private SoakReport() {
    }

    static String header() {
        return String.format("%4s %10s %8s %7s %5s %9s %6s %5s %8s %9s %8s %6s %6s %6s %6s %5s", "min", "heap kB",
                "rss MB", "threads", "fds", "fwd pkt/s", "node%", "gen%", "µs/fwd", "loss %", "pairs", "drops",
                "joins", "leaves", "failed", "parts");
    }

    static String line(JsonObject s) {
        JsonObject loss = s.getJsonObject("loss");
        return String.format("%4d %10d %8.1f %7d %5d %9.0f %6.1f %5.1f %8s %9.4f %8s %6d %6d %6d %6d %5s",
                s.getInteger("minute"), s.getLong("heapAfterGcKb"), s.getLong("rssKb") / 1024.0, s.getLong("threads"),
                s.getLong("fds"), s.getDouble("forwardedPerSecond"), s.getDouble("nodeCpuPercent"),
                s.getDouble("generatorCpuPercent"), String.valueOf(s.getValue("cpuMicrosPerForwarded")), loss.getDouble("lossPercent"),
                loss.getInteger("pairs") + "/" + loss.getInteger("pairsLeftOut"), s.getLong("nodeDrops"),
                s.getLong("joins"), s.getLong("leaves"), s.getLong("joinFailures") + s.getLong("leaveFailures"),
                String.valueOf(s.getValue("nodeParticipants")));
    }

    record Verdict(boolean passed, JsonObject json, String table) {
    }

    /** MediaNode's DTLS handshake pool: at most this many threads, named {@link #HANDSHAKE_THREADS}…. */
    static final int HANDSHAKE_POOL_MAX = 64;
    static final String HANDSHAKE_THREADS = "dtls-handshake-";

    private static long pool(JsonObject sample) {
        JsonObject names = sample.getJsonObject("threadNames");
        return names == null ? 0 : names.getLong(HANDSHAKE_THREADS, 0L);
    }

    static Verdict verdict(JsonObject start, JsonObject end, JsonObject startClasses, JsonObject endClasses) {
        List<String> failures = new ArrayList<>();
        StringBuilder t = new StringBuilder(String.format("%-26s %14s %14s %10s  %s%n", "", "start (min "
                + start.getInteger("minute") + ")", "end (min " + end.getInteger("minute") + ")", "growth", "target"));
        JsonObject summary = new JsonObject();
        double heapGrowth = growth(start.getLong("heapAfterGcKb"), end.getLong("heapAfterGcKb"));
        boolean heapOk = heapGrowth < HEAP_GROWTH_LIMIT;
        row(t, summary, "heap after GC, live (kB)", "heapAfterGcKb", start, end,
                "< " + HEAP_GROWTH_LIMIT + " %: " + (heapOk ? "held" : "FAILED"));
        if (!heapOk) {
            failures.add("heap after GC grew " + heapGrowth + " %");
        }
        row(t, summary, "heap used after GC (kB)", "heapUsedAfterGcKb", start, end, "- (G1's count)");
        row(t, summary, "non-heap (kB)", "nonHeapKb", start, end, "-");
        row(t, summary, "RSS (kB)", "rssKb", start, end, "-");
        // The node's DTLS handshake pool (MediaNode: 64 threads at most, each ending after 30 s idle, a new
        // one per handshake while under 64) holds about as many threads as handshakes began in the last
        // 30 s: it follows the join rate, within its bound. Every other thread must not grow.
        long poolStart = pool(start);
        long poolEnd = pool(end);
        boolean poolOk = poolEnd <= HANDSHAKE_POOL_MAX;
        t.append(String.format("%-26s %14s %14s %10s  %s%n", "DTLS handshake threads", poolStart, poolEnd,
                pct(growth(poolStart, poolEnd)), "<= " + HANDSHAKE_POOL_MAX + " (follows joins): " + (poolOk ? "held" : "FAILED")));
        summary.put("handshakeThreads", new JsonObject().put("start", poolStart).put("end", poolEnd));
        if (!poolOk) {
            failures.add("the DTLS handshake pool has " + poolEnd + " threads, above its bound of " + HANDSHAKE_POOL_MAX);
        }
        for (String[] f : new String[][] {{"threads (without the pool)", "threads"}, {"file descriptors", "fds"}}) {
            boolean threads = f[1].equals("threads");
            long a = start.getLong(f[1]) - (threads ? poolStart : 0);
            long b = end.getLong(f[1]) - (threads ? poolEnd : 0);
            boolean ok = b <= a;
            t.append(String.format("%-26s %14s %14s %10s  %s%n", f[0], a, b, pct(growth(a, b)),
                    "no growth: " + (ok ? "held" : "FAILED")));
            summary.put(f[1], new JsonObject().put("start", a).put("end", b).put("growthPercent", growth(a, b)));
            if (!ok) {
                failures.add(f[0] + " grew from " + a + " to " + b
                        + (threads ? " (" + namesGrown(start.getJsonObject("threadNames"),
                        end.getJsonObject("threadNames")) + ")" : ""));
            }
        }
        Object cpuStart = start.getValue("cpuMicrosPerForwarded");
        Object cpuEnd = end.getValue("cpuMicrosPerForwarded");
        t.append(String.format("%-26s %14s %14s %10s  %s%n", "CPU µs / forwarded packet", cpuStart, cpuEnd,
                cpuStart instanceof Number a && cpuEnd instanceof Number b ? pct(growth(a.doubleValue(), b.doubleValue())) : "?",
                "-"));
        summary.put("cpuMicrosPerForwarded", new JsonObject().put("start", cpuStart).put("end", cpuEnd));
        JsonObject lossStart = start.getJsonObject("loss");
        JsonObject lossEnd = end.getJsonObject("loss");
        boolean lossOk = lossHeld(lossStart) && lossHeld(lossEnd);
        t.append(String.format("%-26s %14s %14s %10s  %s%n", "loss % (counted pairs)",
                lossStart.getDouble("lossPercent") + " (" + lossStart.getInteger("pairs") + ")",
                lossEnd.getDouble("lossPercent") + " (" + lossEnd.getInteger("pairs") + ")", "",
                "0 at start and end: " + (lossOk ? "held" : "FAILED")));
        summary.put("loss", new JsonObject().put("start", lossStart).put("end", lossEnd).put("held", lossOk));
        if (!lossOk) {
            failures.add("loss at start " + lossStart.getDouble("lossPercent") + " %, at end "
                    + lossEnd.getDouble("lossPercent") + " %");
        }
        long failedJoins = end.getLong("joinFailures") + end.getLong("leaveFailures");
        t.append(String.format("%-26s %14s %14s %10s  %s%n", "joins / leaves (churn)", "",
                end.getLong("joins") + " / " + end.getLong("leaves"), "", "none failed: "
                        + (failedJoins == 0 ? "held" : "FAILED (" + failedJoins + ")")));
        if (failedJoins > 0) {
            failures.add(failedJoins + " joins or leaves failed");
        }
        summary.put("joins", end.getLong("joins")).put("leaves", end.getLong("leaves"))
                .put("joinFailures", end.getLong("joinFailures")).put("leaveFailures", end.getLong("leaveFailures"))
                .put("failures", new io.vertx.core.json.JsonArray(new ArrayList<>(failures)));
        List<String> grown = classesGrown(startClasses, endClasses);
        summary.put("classesGrown", new io.vertx.core.json.JsonArray(new ArrayList<>(grown)));
        if (!grown.isEmpty()) {
            t.append("\nclasses that grew most (live bytes, classes of 16 kB or more): ").append(String.join(", ", grown))
                    .append('\n');
        }
        t.append(failures.isEmpty() ? "\nsoak: PASSED\n" : "\nsoak: FAILED: " + String.join("; ", failures) + "\n");
        return new Verdict(failures.isEmpty(), summary, t.toString());
    }

    /** The (at most 8) classes whose live bytes grew most from start to end, with their start and end. */
    static List<String> classesGrown(JsonObject start, JsonObject end) {
        List<String> out = new ArrayList<>();
        if (start == null || end == null) {
            return out;
        }
        end.fieldNames().stream()
                .filter(c -> end.getLong(c) > start.getLong(c, 0L))
                .sorted((a, b) -> Long.compare(end.getLong(b) - start.getLong(b, 0L), end.getLong(a) - start.getLong(a, 0L)))
                .limit(8)
                .forEach(c -> out.add(c + " " + start.getLong(c, 0L) / 1024 + " -> " + end.getLong(c) / 1024 + " kB"));
        return out;
    }

    /** The thread names of which there are more at the end than at the start. */
    static String namesGrown(JsonObject start, JsonObject end) {
        List<String> grown = new ArrayList<>();
        for (String name : end.fieldNames()) {
            int a = start.getInteger(name, 0);
            int b = end.getInteger(name);
            if (b > a) {
                grown.add(name + " " + a + " -> " + b);
            }
        }
        return grown.isEmpty() ? "names unchanged" : String.join(", ", grown);
    }

    /** Loss 0 over a window that counted something. */
    private static boolean lossHeld(JsonObject loss) {
        return loss.getLong("expected") > 0 && loss.getLong("delivered") >= loss.getLong("expected");
    }

    private static void row(StringBuilder t, JsonObject summary, String label, String key, JsonObject start,
                            JsonObject end, String target) {
        long a = start.getLong(key);
        long b = end.getLong(key);
        t.append(String.format("%-26s %14d %14d %10s  %s%n", label, a, b, pct(growth(a, b)), target));
        summary.put(key, new JsonObject().put("start", a).put("end", b).put("growthPercent", Generator.round(growth(a, b), 2)));
    }

    private static double growth(double start, double end) {
        return start == 0 ? 0 : 100.0 * (end - start) / start;
    }

    private static String pct(double v) {
        return String.format("%+.2f %%", v);
    }
}
