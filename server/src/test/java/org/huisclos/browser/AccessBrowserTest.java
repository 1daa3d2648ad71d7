package org.huisclos.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.huisclos.launcher.Huisclos;
import org.huisclos.launcher.TestServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Moderation, room password and lobby as people meet them, in headless Chromium against the real
 * server (registry, signaling and media node in one process): a locked room, a lobby, a removal.
 * Media is proven from getStats(), never assumed from the UI.
 */
class AccessBrowserTest {
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static Huisclos server;
    private final List<BrowserParticipant> browsers = new ArrayList<>();

    @BeforeAll
    static void startServer() throws Exception {
        server = TestServers.start("127.0.0.1", "access-test", Map.of());
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @AfterEach
    void closeBrowsers() {
        for (BrowserParticipant b : browsers) {
            b.close();
        }
        browsers.clear();
    }

    private BrowserParticipant join(String room, String name) {
        BrowserParticipant b = new ChromiumParticipant(name);
        browsers.add(b);
        b.open("http://127.0.0.1:" + server.httpPort() + "/" + room + "?name=" + name + "&autojoin=1");
        return b;
    }

    private static Object hc(BrowserParticipant b, String field) {
        return b.js("return window.huisclos[arguments[0]]", field);
    }

    private static String participantId(BrowserParticipant b) {
        return (String) hc(b, "participantId");
    }

    private static boolean visible(BrowserParticipant b, String id) {
        return Boolean.TRUE.equals(b.js("const e = document.getElementById(arguments[0]); return !!e && !e.hidden", id));
    }

    /** [video frames decoded, audio packets received] of the SSRCs {@code ssrcs}, by the receiver's getStats(). */
    private static long[] mediaFrom(BrowserParticipant b, java.util.Set<Long> ssrcs) {
        RtcStats.FromParticipant m = RtcStats.from(b, ssrcs);
        return new long[] {m.framesDecoded(), m.audioPackets()};
    }

    /** Waits until {@code b} decodes video and receives audio from {@code from}, by its SSRCs, rising between two looks. */
    private static void awaitMediaFrom(BrowserParticipant b, BrowserParticipant from) {
        RtcStats.awaitMediaFrom(b, List.of(from), DEADLINE);
    }

    private static void awaitModerator(BrowserParticipant b) {
        b.waitUntil(b.name() + " joined and moderates", DEADLINE,
                () -> participantId(b) != null && Boolean.TRUE.equals(hc(b, "isModerator")) && visible(b, "moderator-panel"));
    }

    @Test
    void aLockedRoomRefusesAWrongPasswordClearlyAndAdmitsTheRightOne() {
        BrowserParticipant ada = join("locked-room", "Ada");
        awaitModerator(ada);
        ada.js("document.getElementById('new-password').value = 'open sesame';"
                + "document.getElementById('set-password').click()");
        ada.waitUntil("the room has a password", DEADLINE, () -> Boolean.TRUE.equals(hc(ada, "passwordSet")));

        BrowserParticipant grace = join("locked-room", "Grace");
        grace.waitUntil("the password prompt shows", DEADLINE, () -> visible(grace, "password-screen")
                && String.valueOf(grace.js("return document.getElementById('password-error').textContent"))
                .contains("has a password"));
        assertNull(participantId(grace));
        assertNull(grace.js("return window.huisclos.pc"), "no media before the password");

        grace.js("document.getElementById('room-password').value = 'open says me';"
                + "document.getElementById('password-join').click()");
        grace.waitUntil("a wrong password is refused with a clear message", DEADLINE, () -> visible(grace, "password-screen")
                && String.valueOf(grace.js("return document.getElementById('password-error').textContent"))
                .contains("not right"));
        assertNull(participantId(grace));

        grace.js("document.getElementById('room-password').value = 'open sesame';"
                + "document.getElementById('password-join').click()");
        grace.waitUntil("grace is in", DEADLINE, () -> participantId(grace) != null && visible(grace, "meeting"));
        awaitMediaFrom(grace, ada);
        awaitMediaFrom(ada, grace);
        assertEquals(false, hc(grace, "isModerator"));
        assertTrue(!visible(grace, "moderator-panel"), "only the moderator sees the moderator's panel");

        // Ada makes Grace the moderator from her tile: the panels swap.
        String graceId = participantId(grace);
        ada.js("document.querySelector('[data-participant=\"' + arguments[0] + '\"] .mod-moderator').click()", graceId);
        grace.waitUntil("grace moderates", DEADLINE, () -> Boolean.TRUE.equals(hc(grace, "isModerator"))
                && visible(grace, "moderator-panel"));
        ada.waitUntil("ada no longer moderates", DEADLINE, () -> Boolean.FALSE.equals(hc(ada, "isModerator"))
                && !visible(ada, "moderator-panel") && Boolean.FALSE.equals(ada.js(
                "return !!document.querySelector('.mod-actions')")));
    }

    @Test
    void theLobbyHoldsANewcomerUntilAdmittedAndARemovedParticipantLosesMediaAndMustBeAdmittedAgain() {
        BrowserParticipant ada = join("lobby-room", "Ada");
        awaitModerator(ada);
        String adaId = participantId(ada);
        ada.js("document.getElementById('lobby-toggle').click()");
        ada.waitUntil("the lobby is on", DEADLINE, () -> Boolean.TRUE.equals(hc(ada, "lobby")));

        BrowserParticipant alan = join("lobby-room", "Alan");
        alan.waitUntil("alan waits in the lobby", DEADLINE, () -> Boolean.TRUE.equals(hc(alan, "waiting"))
                && visible(alan, "lobby-screen"));
        ada.waitUntil("ada sees alan knock", DEADLINE, () -> Boolean.TRUE.equals(ada.js(
                "return [...document.querySelectorAll('#knocks li')].some(li => li.textContent.includes('Alan'))")));
        // Waiting: no peer connection, no media, nothing of the room.
        assertNull(alan.js("return window.huisclos.pc"), "no media before admission");
        assertNull(participantId(alan));
        assertEquals(0L, ((Number) alan.js("return Object.keys(window.huisclos.participants).length")).longValue());

        ada.js("document.querySelector('#knocks li .admit').click()");
        alan.waitUntil("alan is admitted", DEADLINE, () -> participantId(alan) != null && visible(alan, "meeting"));
        String alanId = participantId(alan);
        awaitMediaFrom(alan, ada);
        awaitMediaFrom(ada, alan);
        java.util.Set<Long> alanSsrcs = RtcStats.sendingSsrcs(alan);

        // The moderator mutes Alan from his tile; Alan's microphone goes off, his tile shows it, he may unmute.
        ada.waitUntil("alan's tile has moderator controls", DEADLINE, () -> Boolean.TRUE.equals(ada.js(
                "return !!document.querySelector('[data-participant=\"' + arguments[0] + '\"] .mod-remove')", alanId)));
        ada.js("document.querySelector('[data-participant=\"' + arguments[0] + '\"] .mod-mute').click()", alanId);
        alan.waitUntil("alan's microphone is turned off by the moderator", DEADLINE, () -> adaId.equals(hc(alan, "mutedBy"))
                && Boolean.TRUE.equals(alan.js("return document.getElementById('mic').getAttribute('aria-pressed') === 'true'")));
        String micBadge = "const t = document.querySelector('[data-participant=\"' + arguments[0] + '\"]');"
                + " return !!t && !t.querySelector('.mic-off').hidden";
        ada.waitUntil("ada sees alan's microphone off", DEADLINE, () -> Boolean.TRUE.equals(ada.js(micBadge, alanId)));
        alan.js("document.getElementById('mic').click()");
        ada.waitUntil("alan unmutes himself", DEADLINE, () -> Boolean.FALSE.equals(ada.js(micBadge, alanId)));

        // The moderator removes Alan from his tile: his media stops at once.
        ada.js("document.querySelector('[data-participant=\"' + arguments[0] + '\"] .mod-remove').click()", alanId);
        alan.waitUntil("alan is told he was removed and his peer connection is closed", DEADLINE,
                () -> Boolean.TRUE.equals(hc(alan, "removed")) && alan.js("return window.huisclos.pc") == null
                        && visible(alan, "left-screen"));
        ada.waitUntil("ada drops alan's tile", DEADLINE, () -> Boolean.TRUE.equals(ada.js(
                "return !document.querySelector('[data-participant=\"' + arguments[0] + '\"]')", alanId)));
        // Ada receives nothing more of Alan: his inbound counters stop rising (two equal looks 1 s apart).
        long[][] last = {mediaFrom(ada, alanSsrcs)};
        long[] lastAt = {System.nanoTime()};
        ada.waitUntil("alan's media stops reaching ada", DEADLINE, () -> {
            if (System.nanoTime() - lastAt[0] < 1_000_000_000L) {
                return false;
            }
            long[] now = mediaFrom(ada, alanSsrcs);
            boolean still = now[0] == last[0][0] && now[1] == last[0][1];
            last[0] = now;
            lastAt[0] = System.nanoTime();
            return still;
        });
        ada.waitUntil("the removal turned the lobby on", DEADLINE, () -> Boolean.TRUE.equals(hc(ada, "lobby")));

        // Alan tries again: he waits in the lobby, and a refusal keeps him out.
        alan.js("document.getElementById('rejoin').click()");
        alan.waitUntil("alan waits in the lobby again", DEADLINE, () -> Boolean.TRUE.equals(hc(alan, "waiting")));
        assertNull(alan.js("return window.huisclos.pc"));
        ada.waitUntil("ada sees alan knock again", DEADLINE, () -> Boolean.TRUE.equals(ada.js(
                "return !!document.querySelector('#knocks li .refuse')")));
        ada.js("document.querySelector('#knocks li .refuse').click()");
        alan.waitUntil("alan is refused", DEADLINE, () -> Boolean.TRUE.equals(hc(alan, "refused"))
                && visible(alan, "lobby-screen"));
        assertNull(participantId(alan));
        assertNull(alan.js("return window.huisclos.pc"));
    }
}
