package org.huisclos.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.huisclos.launcher.Huisclos;
import org.huisclos.launcher.TestServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A damaged meeting key fails closed (docs/e2ee.md): a link whose {@code #key=} is there but is not
 * exactly 43 base64url characters of 32 bytes — cut off, one character too many, a character that
 * is not base64url, empty — does not join, not even with {@code autojoin=1}: no signaling
 * connection, no peer connection, no participant id; the page says the key is damaged and offers
 * "Join without end-to-end encryption", which then joins unencrypted. The same for a damaged key
 * typed into the pre-join "Meeting key" field.
 */
class E2eeDamagedKeyBrowserTest {
    /** How long a page must stay out of the meeting; an intact autojoin opens its WebSocket within a second. */
    private static final Duration NOT_JOINED_FOR = Duration.ofSeconds(3);
    /** Counts what the page constructs, installed before any page script runs. */
    private static final String PROBE = "window.__probe = { pcs: 0, ws: 0 };"
            + "window.RTCPeerConnection = new Proxy(window.RTCPeerConnection, { construct(t, a) {"
            + " window.__probe.pcs++; return Reflect.construct(t, a); } });"
            + "window.WebSocket = new Proxy(window.WebSocket, { construct(t, a) {"
            + " window.__probe.ws++; return Reflect.construct(t, a); } });";

    private static Huisclos server;
    private static final List<BrowserParticipant> browsers = new ArrayList<>();

    @BeforeAll
    static void startServer() throws Exception {
        server = TestServers.start(TestNetwork.shared().hostAddress(), "e2ee-damaged-test", Map.of());
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

    private static BrowserParticipant browser(BrowserParticipant.Kind kind, String name) {
        BrowserParticipant b = BrowserParticipant.of(kind, name, base());
        browsers.add(b);
        b.addInitScript(PROBE);
        return b;
    }

    /** The server on the test namespace's host side, where Firefox reaches it (and Chromium too). */
    private static String base() {
        return TestServers.origin(TestNetwork.shared().hostAddress(), server);
    }

    private static String goodKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(key);
    }

    /** The damaged-key notice shows; then, for a bounded time, the page does not join in any way. */
    private static void assertDamagedAndNotJoined(BrowserParticipant b, String what) {
        b.waitUntil("the damaged-key message (" + what + ")", Duration.ofSeconds(15), () -> (Boolean) b.js(
                "const n = document.getElementById('e2ee-damaged');"
                        + "return !!n && !n.hidden && window.huisclosE2ee.damaged === true"));
        String message = (String) b.js("return document.getElementById('e2ee-key-error').textContent");
        assertTrue(message.contains("damaged") && message.contains("again"), what + ": the message says so: " + message);
        assertEquals("Join without end-to-end encryption", b.js("return document.getElementById('e2ee-join-plain').textContent"));
        assertFalse((Boolean) b.js("return document.getElementById('e2ee-key-error').hidden"));
        assertEquals("damaged", b.js("return document.getElementById('e2ee-badge').dataset.e2ee"), what + ": the badge");
        long until = System.nanoTime() + NOT_JOINED_FOR.toNanos();
        do {
            @SuppressWarnings("unchecked")
            Map<String, Object> page = (Map<String, Object>) b.js("const h = window.huisclos; return {state: h.state,"
                    + " id: h.participantId, pc: h.pc !== null, ws: h.ws !== null, pcs: window.__probe.pcs, sockets: window.__probe.ws,"
                    + " enabled: window.huisclosE2ee.enabled}");
            assertEquals("prejoin", page.get("state"), what + ": " + page);
            assertEquals(null, page.get("id"), what + ": joined: " + page);
            assertEquals(false, page.get("pc"), what + ": a peer connection: " + page);
            assertEquals(0L, ((Number) page.get("pcs")).longValue(), what + ": an RTCPeerConnection was made: " + page);
            assertEquals(false, page.get("ws"), what + ": " + page);
            assertEquals(0L, ((Number) page.get("sockets")).longValue(), what + ": a signaling connection (join) was opened: " + page);
            assertEquals(false, page.get("enabled"), what + ": " + page);
            pause();
        } while (System.nanoTime() < until);
    }

    /** The explicit choice: joins, unencrypted, and the damaged key is gone from the address. */
    private static void chooseToJoinWithoutE2ee(BrowserParticipant b) {
        b.js("document.getElementById('e2ee-join-plain').click()");
        b.waitUntil("joined without end-to-end encryption", Duration.ofSeconds(30), () -> (Boolean) b.js(
                "return window.huisclos.participantId !== null && window.huisclos.pc !== null && window.__probe.pcs > 0"));
        assertEquals("off", b.js("return document.getElementById('e2ee-badge').dataset.e2ee"));
        assertEquals(false, b.js("return window.huisclosE2ee.enabled || window.huisclosE2ee.damaged"));
        assertFalse(b.currentUrl().contains("#"), "the damaged key left the address: " + b.currentUrl());
        assertTrue((Boolean) b.js("return document.getElementById('e2ee-damaged').hidden"));
    }

    private static void pause() {
        try {
            Thread.sleep(200);   // the polling interval of a bounded "nothing happens" window
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @ParameterizedTest
    @EnumSource(BrowserParticipant.Kind.class)
    void aDamagedKeyInTheLinkNeverJoinsEvenWithAutojoinUntilTheUserChoosesToJoinWithoutEncryption(BrowserParticipant.Kind kind) {
        String good = goodKey();
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        char last = good.charAt(42);
        Map<String, String> damaged = new LinkedHashMap<>();
        damaged.put("cut off at 42 characters", good.substring(0, 42));
        damaged.put("43 characters, one not base64url", good.substring(0, 20) + "*" + good.substring(21));
        damaged.put("44 characters", good + "A");
        damaged.put("empty", "");
        damaged.put("43 characters, the last one not the end of 32 bytes",
                good.substring(0, 42) + alphabet.charAt(alphabet.indexOf(last) | 1));
        BrowserParticipant bob = browser(kind, "Bob");
        int i = 0;
        for (Map.Entry<String, String> d : damaged.entrySet()) {
            bob.open(base() + "/e2ee-damaged-" + kind.name().toLowerCase() + "-" + i++ + "?name=Bob&autojoin=1#key=" + d.getValue());
            assertDamagedAndNotJoined(bob, d.getKey());
        }
        // Removing the damaged key from the field and pressing the ordinary Join does not join either.
        bob.js("document.getElementById('e2ee-key').value = ''; document.getElementById('join-button').click()");
        assertDamagedAndNotJoined(bob, "the link's damaged key removed from the field");
        chooseToJoinWithoutE2ee(bob);
    }

    @ParameterizedTest
    @EnumSource(BrowserParticipant.Kind.class)
    void aDamagedKeyTypedOnThePreJoinScreenDoesNotJoinUntilTheUserChoosesToJoinWithoutEncryption(BrowserParticipant.Kind kind) {
        BrowserParticipant carol = browser(kind, "Carol");
        carol.open(base() + "/e2ee-typed-damaged");
        carol.waitUntil("the pre-join screen", Duration.ofSeconds(15),
                () -> (Boolean) carol.js("return !!document.getElementById('e2ee-key')"));
        assertEquals("off", carol.js("return document.getElementById('e2ee-badge').dataset.e2ee"));
        assertTrue((Boolean) carol.js("return document.getElementById('e2ee-damaged').hidden"), "no message before anything is typed");
        carol.js("document.getElementById('display-name').value = 'Carol';"
                + "document.getElementById('e2ee-key').value = arguments[0];"
                + "document.getElementById('join-button').click()", base() + "/e2ee-typed-damaged#key=" + goodKey().substring(0, 40));
        assertDamagedAndNotJoined(carol, "a cut-off invite link typed in");
        chooseToJoinWithoutE2ee(carol);
    }
}
