package org.huisclos.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.huisclos.launcher.Huisclos;
import org.huisclos.launcher.TestServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * End-to-end encryption across browsers: two Chromium and one Firefox participant holding the
 * room key decode each other (one frame format, whatever encoded-transform API each browser uses);
 * a Firefox participant without the key receives their packets and decodes none of their frames.
 * Media is attributed by the senders' own SSRCs.
 */
class MixedE2eeBrowserTest {
    private static final Duration MEDIA_DEADLINE = Duration.ofSeconds(90);
    private static final List<BrowserParticipant> browsers = new ArrayList<>();
    private static Huisclos server;
    private static String origin;

    @BeforeAll
    static void startServer() throws Exception {
        TestNetwork network = TestNetwork.shared();
        server = TestServers.start(network.hostAddress(), "mixed-e2ee-test", Map.of());
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

    private static BrowserParticipant join(BrowserParticipant.Kind kind, String name, String fragment) {
        BrowserParticipant b = BrowserParticipant.of(kind, name, origin);
        browsers.add(b);
        b.open(origin + "/mixed-e2ee?name=" + name + "&autojoin=1" + fragment);
        b.waitUntil(b + " joined", Duration.ofSeconds(60), () -> b.js("return window.huisclos.participantId") != null);
        return b;
    }

    private static void awaitMedia(BrowserParticipant b, List<BrowserParticipant> from) {
        try {
            RtcStats.awaitMediaFrom(b, from, MEDIA_DEADLINE);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; e2ee: " + b.js("return JSON.stringify(window.huisclosE2ee.stats)"), e);
        }
    }

    @Test
    void chromiumAndFirefoxKeyHoldersDecodeEachOtherAndFirefoxWithoutTheKeyDecodesNothing() throws Exception {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        String fragment = "#key=" + Base64.getUrlEncoder().withoutPadding().encodeToString(key);
        BrowserParticipant ada = join(BrowserParticipant.Kind.CHROMIUM, "Ada", fragment);
        BrowserParticipant grace = join(BrowserParticipant.Kind.FIREFOX, "Grace", fragment);
        BrowserParticipant alan = join(BrowserParticipant.Kind.CHROMIUM, "Alan", fragment);
        List<BrowserParticipant> holders = List.of(ada, grace, alan);
        for (BrowserParticipant b : holders) {
            List<BrowserParticipant> others = new ArrayList<>(holders);
            others.remove(b);
            awaitMedia(b, others);
        }
        for (BrowserParticipant b : holders) {
            assertEquals("on", b.js("return document.getElementById('e2ee-badge').dataset.e2ee"), b + "'s badge");
            b.waitUntil(b + "'s worker encrypts and decrypts", Duration.ofSeconds(20), () -> (Boolean) b.js(
                    "const s = window.huisclosE2ee.stats; return !!s && s.encrypted > 0 && s.decrypted > 0"));
        }
        for (BrowserParticipant b : holders) {
            assertEquals("script", b.js("return window.huisclosE2ee.mode"), b + " encrypts through RTCRtpScriptTransform");
        }

        // Eve, in Firefox, has the room's name but not the key: packets arrive, no frame decodes.
        BrowserParticipant eve = join(BrowserParticipant.Kind.FIREFOX, "Eve", "");
        assertEquals("off", eve.js("return document.getElementById('e2ee-badge').dataset.e2ee"));
        Map<BrowserParticipant, Set<Long>> ssrcs = new java.util.HashMap<>();
        for (BrowserParticipant h : holders) {
            ssrcs.put(h, RtcStats.sendingSsrcs(h));
        }
        eve.waitUntil("Eve receives video packets from every key holder", MEDIA_DEADLINE, () -> holders.stream()
                .allMatch(h -> RtcStats.from(eve, ssrcs.get(h)).videoPackets() > 50));
        Map<BrowserParticipant, RtcStats.FromParticipant> start = new java.util.HashMap<>();
        for (BrowserParticipant h : holders) {
            start.put(h, RtcStats.from(eve, ssrcs.get(h)));
        }
        long until = System.nanoTime() + Duration.ofSeconds(8).toNanos();
        while (System.nanoTime() < until) {
            for (BrowserParticipant h : holders) {
                assertEquals(0, RtcStats.from(eve, ssrcs.get(h)).framesDecoded(), "Eve, without the key, decoded frames of " + h);
            }
            Thread.sleep(500); // sampling step of a bounded window, not a wait for a condition
        }
        for (BrowserParticipant h : holders) {
            assertTrue(RtcStats.from(eve, ssrcs.get(h)).videoPackets() > start.get(h).videoPackets(),
                    "packets from " + h + " kept arriving at Eve");
        }
        // The key holders go on decoding each other and decode none of Eve's unencrypted frames.
        for (BrowserParticipant b : holders) {
            List<BrowserParticipant> others = new ArrayList<>(holders);
            others.remove(b);
            awaitMedia(b, others);
            assertEquals(0, RtcStats.from(b, eve).framesDecoded(), b + " decoded Eve's unencrypted frames");
        }
    }
}
