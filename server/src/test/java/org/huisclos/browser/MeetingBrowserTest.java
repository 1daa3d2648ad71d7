package org.huisclos.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.huisclos.launcher.Huisclos;
import org.huisclos.launcher.TestServers;
import org.huisclos.media.transport.DropReason;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The first meeting, as people have it: three headless Chromium participants join one room
 * through our SFU and each proves from getStats() that it decodes the video and receives the
 * audio of both others; a fourth, in another room, receives nothing of theirs; when one leaves,
 * the others drop its tile.
 */
class MeetingBrowserTest {
    private static final Duration MEDIA_DEADLINE = Duration.ofSeconds(60);
    private static Huisclos server;
    private static final List<BrowserParticipant> browsers = new ArrayList<>();
    /** Every log line the server writes during the test, to prove none names the meeting. */
    private static final LogCapture logCapture = new LogCapture();

    @BeforeAll
    static void startServer() throws Exception {
        logCapture.install();
        server = TestServers.start("127.0.0.1", "meeting-test", Map.of());
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

    private static BrowserParticipant join(String room, String name) {
        BrowserParticipant b = new ChromiumParticipant(name);
        browsers.add(b);
        b.open("http://127.0.0.1:" + server.httpPort() + "/" + room + "?name=" + name + "&autojoin=1");
        return b;
    }

    private static String participantId(BrowserParticipant b) {
        return (String) b.js("return window.huisclos.participantId");
    }

    private static void awaitMediaFrom(BrowserParticipant b, List<BrowserParticipant> others) {
        RtcStats.awaitMediaFrom(b, others, MEDIA_DEADLINE);
    }

    @Test
    void threeParticipantsSeeAndHearEachOtherAndAnotherRoomHearsNothing() {
        BrowserParticipant ada = join("demo-meeting", "Ada");
        BrowserParticipant grace = join("demo-meeting", "Grace");
        BrowserParticipant alan = join("demo-meeting", "Alan");
        BrowserParticipant eve = join("other-room", "Eve");
        List<BrowserParticipant> meeting = List.of(ada, grace, alan);
        for (BrowserParticipant b : browsers) {
            b.waitUntil(b.name() + " joined", Duration.ofSeconds(30), () -> participantId(b) != null);
        }
        Map<BrowserParticipant, String> ids = new HashMap<>();
        for (BrowserParticipant b : meeting) {
            ids.put(b, participantId(b));
        }
        for (BrowserParticipant b : meeting) {
            List<BrowserParticipant> others = new ArrayList<>(meeting);
            others.remove(b);
            awaitMediaFrom(b, others);
        }

        // For people reading the build: what Ada sees (target/meeting-ada.png).
        try {
            java.nio.file.Files.write(java.nio.file.Path.of("target", "meeting-ada.png"),
                    ada.screenshot());
        } catch (java.io.IOException e) {
            // a missing picture fails nothing
        }

        // Eve publishes in her own room; nothing of the first room reaches her.
        RtcStats.Snapshot eveStats = RtcStats.snapshot(eve, "window.huisclos.pc");
        assertEquals(0, eveStats.packetsReceived(), "Eve, alone in another room, received packets: " + eveStats);
        assertTrue(eveStats.packetsSent() > 0, "Eve's own media reaches the media node");
        assertEquals(0L, ((Number) eve.js("return Object.keys(window.huisclos.participants).length")).longValue());

        // Nothing legitimate was dropped on the way.
        var drops = server.mediaNode().drops();
        assertEquals(0, drops.count(DropReason.SRTP_AUTH_FAILED), "SRTP authentication failures");
        assertEquals(0, drops.count(DropReason.RTP_UNKNOWN_SSRC), "packets from SSRCs not in an answer");

        // The offer's passive TCP candidate is a fallback: where UDP works, the selected pair is UDP. (A
        // browser may nominate the TCP pair first when the UDP check's answer comes late, on a loaded
        // machine, and then switches to the better UDP pair: polled.)
        for (BrowserParticipant b : meeting) {
            String[] last = {null};
            try {
                b.waitUntil(b.name() + "'s selected candidate pair is UDP", Duration.ofSeconds(20), () -> {
                    last[0] = (String) b.jsAsync("""
                            (async () => {
                              const stats = await window.huisclos.pc.getStats();
                              let pair = null;
                              stats.forEach(s => { if (s.type === 'transport' && s.selectedCandidatePairId) pair = stats.get(s.selectedCandidatePairId); });
                              return pair ? stats.get(pair.remoteCandidateId).protocol : null;
                            })()""");
                    return "udp".equals(last[0]);
                });
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "; last selected: " + last[0], e);
            }
        }

        // Alan leaves: Ada and Grace drop his tile, and keep their media.
        String alanId = ids.get(alan);
        alan.js("document.getElementById('leave').click()");
        for (BrowserParticipant b : List.of(ada, grace)) {
            b.waitUntil(b.name() + " drops Alan's tile", Duration.ofSeconds(20), () -> (Boolean) b.js(
                    "return !document.querySelector('[data-participant=\"' + arguments[0] + '\"]')"
                            + " && !(arguments[0] in window.huisclos.participants)", alanId));
        }
        awaitMediaFrom(ada, List.of(grace));
        awaitMediaFrom(grace, List.of(ada));

        // Privacy: nothing the server logged names a room or a person.
        assertTrue(logCapture.lines().size() > 0, "the log capture works (the server logs its start)");
        for (String line : logCapture.lines()) {
            for (String secret : List.of("demo-meeting", "other-room", "Ada", "Grace", "Alan", "Eve")) {
                assertTrue(!line.contains(secret), "a log line names '" + secret + "': " + line);
            }
        }
    }
}
