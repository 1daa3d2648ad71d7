package org.huisclos.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import io.vertx.core.json.JsonObject;
import org.huisclos.launcher.Huisclos;
import org.huisclos.launcher.TestServers;
import org.huisclos.turn.Coturn;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A closed network: a Chromium and a Firefox participant in a network namespace whose only ways
 * out are the web server's port and the TURN server's (iptables in the namespace; the media
 * node's UDP and TCP ports are closed to them). Debian's coturn, started by the test, relays with
 * the ephemeral credentials Huisclos hands out with each offer: both decode each other over a
 * selected candidate pair of type relay, and /check says TURN works while UDP and TCP do not.
 */
class TurnBrowserTest {
    private static final Duration MEDIA_DEADLINE = Duration.ofSeconds(90);
    private static final List<BrowserParticipant> browsers = new ArrayList<>();
    private static TestNetwork network;
    private static Coturn coturn;
    private static Huisclos server;
    private static String origin;

    @BeforeAll
    static void start() throws Exception {
        network = TestNetwork.create();
        byte[] secret = new byte[24];
        new SecureRandom().nextBytes(secret);
        String secretText = HexFormat.of().formatHex(secret);
        coturn = Coturn.start(network.hostAddress(), 0, secretText);
        server = TestServers.start(network.hostAddress(), "turn-test", Map.of(
                "HUISCLOS_TURN_URLS", coturn.url("udp") + "," + coturn.url("tcp"),
                "HUISCLOS_TURN_SECRET", secretText));
        origin = TestServers.origin(network.hostAddress(), server);
        network.allowOnly(List.of(
                "-p tcp --dport " + server.httpPort(),
                "-p udp --dport " + coturn.port(),
                "-p tcp --dport " + coturn.port()));
    }

    @AfterAll
    static void stopAll() {
        try {
            for (BrowserParticipant b : browsers) {
                b.close();
            }
        } finally {
            if (server != null) {
                server.close();
            }
            if (coturn != null) {
                coturn.close();
            }
            if (network != null) {
                network.close();
            }
        }
    }

    private static BrowserParticipant browser(BrowserParticipant.Kind kind, String name) {
        BrowserParticipant b = kind == BrowserParticipant.Kind.FIREFOX ? new FirefoxParticipant(name, network)
                : ChromiumParticipant.inside(network, name, origin);
        browsers.add(b);
        return b;
    }

    /** The selected candidate pair's local candidate type (host, srflx, relay), or null without one. */
    private static String localCandidateType(BrowserParticipant b) {
        return (String) b.jsAsync("""
                (async () => {
                  const st = await window.huisclos.pc.getStats();
                  let pair = null;
                  st.forEach(s => { if (s.type === 'transport' && s.selectedCandidatePairId) pair = st.get(s.selectedCandidatePairId); });
                  if (!pair) st.forEach(s => { if (s.type === 'candidate-pair' && (s.selected || (s.nominated && s.state === 'succeeded'))) pair = s; });
                  const local = pair && st.get(pair.localCandidateId);
                  return local ? local.candidateType : null;
                })()""");
    }

    @Test
    void chromiumAndFirefoxOnANetworkOpenOnlyToTurnDecodeEachOtherThroughARelay() {
        BrowserParticipant ada = browser(BrowserParticipant.Kind.CHROMIUM, "Ada");
        BrowserParticipant grace = browser(BrowserParticipant.Kind.FIREFOX, "Grace");
        for (BrowserParticipant b : List.of(ada, grace)) {
            b.open(origin + "/closed-network?name=" + b.name() + "&autojoin=1");
        }
        for (BrowserParticipant b : List.of(ada, grace)) {
            b.waitUntil(b + " joined", Duration.ofSeconds(60), () -> b.js("return window.huisclos.participantId") != null);
        }
        long t0 = System.nanoTime();
        RtcStats.awaitMediaFrom(ada, List.of(grace), MEDIA_DEADLINE);
        RtcStats.awaitMediaFrom(grace, List.of(ada), MEDIA_DEADLINE);
        System.out.println("TURN: Chromium and Firefox decode each other through coturn "
                + (System.nanoTime() - t0) / 1_000_000 + " ms after both joined");
        for (BrowserParticipant b : List.of(ada, grace)) {
            assertEquals("relay", localCandidateType(b), b + "'s selected candidate pair goes through the TURN relay");
        }
    }

    @Test
    void theCheckPageReportsTurnWorkingWhereUdpAndTcpAreBlocked() {
        BrowserParticipant b = browser(BrowserParticipant.Kind.CHROMIUM, "check");
        b.open(origin + "/check");
        b.waitUntil("the check is done", Duration.ofSeconds(120),
                () -> "done".equals(b.js("return window.huisclosCheck && window.huisclosCheck.state")));
        JsonObject r = new JsonObject((String) b.js("return JSON.stringify(window.huisclosCheck)"));
        JsonObject steps = r.getJsonObject("steps");
        assertEquals("pass", steps.getJsonObject("turn").getString("status"), r.encode());
        assertEquals("fail", steps.getJsonObject("udp").getString("status"), "UDP to the media node is blocked: " + r.encode());
        assertEquals("fail", steps.getJsonObject("tcp").getString("status"), "ICE-TCP to the media node is blocked: " + r.encode());
        String line = (String) b.js("return document.querySelector('#check-results [data-step=\"turn\"]').textContent");
        assertTrue(line.startsWith("✓"), line);
    }
}
