package org.huisclos.loadgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Ratios Huisclos/Janus from alternated runs: means per system, same SRTP profile only. */
class SideBySideTest {
    private static final String CM = "AES_CM_128_HMAC_SHA1_80";

    private static JsonObject run(String mode, String profile, double perSecond, double micros, double loss,
                                  long p99Micros) {
        return new JsonObject().put("scenario", "2×3p×2s").put("mode", mode).put("srtpProfile", profile)
                .put("deliveredPerSecond", perSecond).put("cpuMicrosPerDelivered", micros).put("nodeCpuPercent", 10.0)
                .put("lossPercent", loss).put("latencyMicrosP50", 200L).put("latencyMicrosP99", p99Micros)
                .put("latencyMicrosP999", p99Micros * 2).put("rssBaseKb", 102_400L).put("rssPerParticipantKb", 500.0)
                .put("joinMillisP50", 40L);
    }

    @Test
    void comparesTheMeansOfTheSameProfileAndIgnoresOtherProfilesAndFailures() {
        List<JsonObject> rows = List.of(
                run("sfu", "AEAD_AES_128_GCM", 9_999, 99.0, 50.0, 1),        // another profile: not compared
                run("sfu", CM, 3_000, 6.0, 0.0, 10_000),
                run("janus", CM, 3_000, 30.0, 0.0, 40_000),
                run("sfu", CM, 3_000, 8.0, 0.0, 30_000),
                run("janus", CM, 2_900, 34.0, 1.0, 40_000),
                new JsonObject().put("scenario", "2×3p×2s").put("mode", "janus").put("error", "x")
                        .put("lossPercent", 100.0));

        List<JsonObject> c = SideBySide.compare(rows);

        assertEquals(1, c.size());
        JsonObject r = c.get(0);
        assertEquals(2, r.getInteger("huisclosRuns"));
        assertEquals(2, r.getInteger("janusRuns"));
        JsonObject ratio = r.getJsonObject("ratioHuisclosOverJanus");
        assertEquals(7.0 / 32.0, ratio.getDouble("cpuMicrosPerDelivered"), 0.001);
        assertEquals(3_000 / 2_950.0, ratio.getDouble("deliveredPerSecond"), 0.001);
        assertEquals(0.5, ratio.getDouble("latencyMillisP99"), 0.001);
        assertEquals(0.0, ratio.getDouble("lossPercent"), 0.001);
        assertEquals(0.5, r.getJsonObject("janus").getDouble("lossPercent"), 0.001);
        assertTrue(SideBySide.table(c).contains("7.00 32.00 0.22"), SideBySide.table(c));
    }

    @Test
    void aRatioOverZeroIsLeftOutNotInfinite() {
        List<JsonObject> c = SideBySide.compare(List.of(run("sfu", CM, 3_000, 6.0, 0.2, 10_000),
                run("janus", CM, 3_000, 30.0, 0.0, 40_000)));
        assertNull(c.get(0).getJsonObject("ratioHuisclosOverJanus").getValue("lossPercent"));
    }

    @Test
    void aScenarioWhoseJanusRunsAllFailedSaysSo() {
        List<JsonObject> c = SideBySide.compare(List.of(run("sfu", CM, 3_000, 6.0, 0.0, 10_000),
                new JsonObject().put("scenario", "2×3p×2s").put("mode", "janus").put("error", "x")));
        assertTrue(c.get(0).getString("error").contains("Janus"), c.get(0).encode());
    }
}
