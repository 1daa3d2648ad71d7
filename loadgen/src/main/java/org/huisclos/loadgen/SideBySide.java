package org.huisclos.loadgen;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Huisclos against Janus, scenario by scenario: the mean of the Huisclos runs with Janus' SRTP profile and the
 * mean of the Janus runs (the bench alternates them), and the ratio Huisclos/Janus of each figure (below 1: Huisclos
 * uses less, or forwards less). Forwarded packets are counted the same way for both: measured packets the
 * subscribers decrypted.
 */
final class SideBySide {
    /** The figures compared, with the JSON field each one comes from. */
    private static final Map<String, ToDoubleFunction<JsonObject>> FIGURES = new LinkedHashMap<>();

    static {
        FIGURES.put("deliveredPerSecond", r -> r.getDouble("deliveredPerSecond", Double.NaN));
        FIGURES.put("cpuMicrosPerDelivered", r -> number(r.getValue("cpuMicrosPerDelivered")));
        FIGURES.put("nodeCpuPercent", r -> r.getDouble("nodeCpuPercent", Double.NaN));
        FIGURES.put("lossPercent", r -> r.getDouble("lossPercent", Double.NaN));
        FIGURES.put("latencyMillisP50", r -> r.getLong("latencyMicrosP50", 0L) / 1000.0);
        FIGURES.put("latencyMillisP99", r -> r.getLong("latencyMicrosP99", 0L) / 1000.0);
        FIGURES.put("latencyMillisP999", r -> r.getLong("latencyMicrosP999", 0L) / 1000.0);
        FIGURES.put("rssBaseMb", r -> r.getLong("rssBaseKb", 0L) / 1024.0);
        FIGURES.put("rssPerParticipantKb", r -> number(r.getValue("rssPerParticipantKb")));
        FIGURES.put("joinMillisP50", r -> number(r.getValue("joinMillisP50")));
    }

    private SideBySide() {
    }

    /** One entry per scenario that has both a Janus run and a Huisclos run with the same SRTP profile. */
    static List<JsonObject> compare(List<JsonObject> rows) {
        List<JsonObject> out = new ArrayList<>();
        List<String> scenarios = rows.stream().filter(r -> "janus".equals(r.getString("mode")))
                .map(r -> r.getString("scenario")).distinct().toList();
        for (String scenario : scenarios) {
            List<JsonObject> janus = ok(rows, scenario, "janus", null);
            String profile = janus.isEmpty() ? null : janus.get(0).getString("srtpProfile");
            List<JsonObject> huisclos = ok(rows, scenario, "sfu", profile);
            if (janus.isEmpty() || huisclos.isEmpty()) {
                out.add(new JsonObject().put("scenario", scenario).put("error", "no successful "
                        + (janus.isEmpty() ? "Janus" : "Huisclos " + profile) + " run"));
                continue;
            }
            JsonObject h = new JsonObject();
            JsonObject j = new JsonObject();
            JsonObject ratio = new JsonObject();
            FIGURES.forEach((name, f) -> {
                double hv = mean(huisclos, f);
                double jv = mean(janus, f);
                h.put(name, Double.isNaN(hv) ? null : Generator.round(hv, 3));
                j.put(name, Double.isNaN(jv) ? null : Generator.round(jv, 3));
                ratio.put(name, jv == 0 || Double.isNaN(hv) || Double.isNaN(jv) ? null : Generator.round(hv / jv, 3));
            });
            out.add(new JsonObject().put("scenario", scenario).put("srtpProfile", profile)
                    .put("huisclosRuns", huisclos.size()).put("janusRuns", janus.size())
                    .put("huisclos", h).put("janus", j).put("ratioHuisclosOverJanus", ratio));
        }
        return out;
    }

    static String table(List<JsonObject> comparisons) {
        if (comparisons.isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder("\nHuisclos / Janus (same scenario and SRTP profile; H = Huisclos,"
                + " J = Janus, means over the alternated runs; ratio H/J)\n");
        sb.append(String.format("%-14s %-6s %22s %22s %22s %20s %20s %20s %20s %20s %20s%n", "scenario", "runs",
                "fwd pkt/s H J ratio", "µs/fwd H J ratio", "loss% H J", "p50 ms H J ratio", "p99 ms H J ratio",
                "p999 ms H J ratio", "rss base MB H J", "kB/part H J", "join ms H J"));
        for (JsonObject c : comparisons) {
            if (c.containsKey("error")) {
                sb.append(String.format("%-14s %s%n", c.getString("scenario"), c.getString("error")));
                continue;
            }
            JsonObject h = c.getJsonObject("huisclos");
            JsonObject j = c.getJsonObject("janus");
            JsonObject r = c.getJsonObject("ratioHuisclosOverJanus");
            sb.append(String.format("%-14s %-6s %22s %22s %22s %20s %20s %20s %20s %20s %20s%n",
                    c.getString("scenario"), c.getInteger("huisclosRuns") + "+" + c.getInteger("janusRuns"),
                    three(h, j, r, "deliveredPerSecond", "%.0f"), three(h, j, r, "cpuMicrosPerDelivered", "%.2f"),
                    two(h, j, "lossPercent", "%.3f"), three(h, j, r, "latencyMillisP50", "%.2f"),
                    three(h, j, r, "latencyMillisP99", "%.1f"), three(h, j, r, "latencyMillisP999", "%.1f"),
                    two(h, j, "rssBaseMb", "%.0f"), two(h, j, "rssPerParticipantKb", "%.0f"),
                    two(h, j, "joinMillisP50", "%.0f")));
        }
        return sb.toString();
    }

    private static String two(JsonObject h, JsonObject j, String name, String format) {
        return value(h.getDouble(name), format) + " " + value(j.getDouble(name), format);
    }

    private static String value(Double v, String format) {
        return v == null ? "-" : String.format(format, v);
    }

    private static String three(JsonObject h, JsonObject j, JsonObject r, String name, String format) {
        Double ratio = r.getDouble(name);
        return two(h, j, name, format) + " " + (ratio == null ? "-" : String.format("%.2f", ratio));
    }

    private static List<JsonObject> ok(List<JsonObject> rows, String scenario, String mode, String profile) {
        return rows.stream().filter(r -> scenario.equals(r.getString("scenario")) && mode.equals(r.getString("mode"))
                && !r.containsKey("error") && (profile == null || profile.equals(r.getString("srtpProfile")))).toList();
    }

    private static double mean(List<JsonObject> rows, ToDoubleFunction<JsonObject> f) {
        return rows.stream().mapToDouble(f).filter(v -> !Double.isNaN(v)).average().orElse(Double.NaN);
    }

    private static double number(Object v) {
        return v instanceof Number n ? n.doubleValue() : Double.NaN;
    }
}
