package org.huisclos.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.huisclos.launcher.Huisclos;
import org.huisclos.launcher.TestServers;
import org.huisclos.media.transport.DropReason;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Everyone can join: two Chromium and two Firefox participants in one room each decode the video
 * and receive the audio of the three others, attributed by the senders' own SSRCs; when one
 * leaves, the others drop its tile and keep the rest.
 *
 * <p>Firefox runs in the test's network namespace (it gathers no candidate on loopback), so the
 * server listens on and advertises the namespace's host side; Chromium runs on this machine and
 * reaches that address too.
 */
class MixedBrowsersBrowserTest {
    private static final Duration MEDIA_DEADLINE = Duration.ofSeconds(90);
    private static final List<BrowserParticipant> browsers = new ArrayList<>();
    private static TestNetwork network;
    private static Huisclos server;
    private static String origin;

    @BeforeAll
    static void startServer() throws Exception {
        network = TestNetwork.shared();
        server = TestServers.start(network.hostAddress(), "mixed-test", Map.of());
        origin = TestServers.origin(network.hostAddress(), server);
    }

    @AfterAll
    static void stopAll() {
        for (BrowserParticipant b : browsers) {
            b.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private static BrowserParticipant join(BrowserParticipant.Kind kind, String room, String name) {
        BrowserParticipant b = BrowserParticipant.of(kind, name, origin);
        browsers.add(b);
        b.open(origin + "/" + room + "?name=" + name + "&autojoin=1");
        return b;
    }

    private static String participantId(BrowserParticipant b) {
        return (String) b.js("return window.huisclos.participantId");
    }

    @Test
    void twoChromiumAndTwoFirefoxDecodeEachOtherBySsrcAndDropTheOneWhoLeaves() {
        BrowserParticipant ada = join(BrowserParticipant.Kind.CHROMIUM, "mixed-meeting", "Ada");
        BrowserParticipant grace = join(BrowserParticipant.Kind.FIREFOX, "mixed-meeting", "Grace");
        BrowserParticipant alan = join(BrowserParticipant.Kind.CHROMIUM, "mixed-meeting", "Alan");
        BrowserParticipant hedy = join(BrowserParticipant.Kind.FIREFOX, "mixed-meeting", "Hedy");
        long joined = System.nanoTime();
        for (BrowserParticipant b : browsers) {
            b.waitUntil(b + " joined", Duration.ofSeconds(60), () -> participantId(b) != null);
        }
        for (BrowserParticipant b : browsers) {
            List<BrowserParticipant> others = new ArrayList<>(browsers);
            others.remove(b);
            RtcStats.awaitMediaFrom(b, others, MEDIA_DEADLINE);
            System.out.println("MIXED: " + b + " decodes video and receives audio from all three others "
                    + (System.nanoTime() - joined) / 1_000_000 + " ms after the joins began");
        }
        for (BrowserParticipant b : browsers) {
            assertTrue(RtcStats.sendingSsrcs(b).size() >= 2, b + " sends audio and video: " + RtcStats.sendingSsrcs(b));
        }
        var drops = server.mediaNode().drops();
        assertEquals(0, drops.count(DropReason.SRTP_AUTH_FAILED), "SRTP authentication failures");
        assertEquals(0, drops.count(DropReason.RTP_UNKNOWN_SSRC), "packets from SSRCs not in an answer");

        // Hedy (Firefox) leaves: the three others drop her tile and go on receiving each other.
        String hedyId = participantId(hedy);
        hedy.js("document.getElementById('leave').click()");
        List<BrowserParticipant> staying = List.of(ada, grace, alan);
        for (BrowserParticipant b : staying) {
            b.waitUntil(b + " drops Hedy's tile", Duration.ofSeconds(20), () -> (Boolean) b.js(
                    "return !document.querySelector('[data-participant=\"' + arguments[0] + '\"]')"
                            + " && !(arguments[0] in window.huisclos.participants)", hedyId));
        }
        RtcStats.awaitMediaFrom(ada, List.of(grace, alan), MEDIA_DEADLINE);
        RtcStats.awaitMediaFrom(grace, List.of(ada, alan), MEDIA_DEADLINE);
    }
}
