package org.huisclos.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.huisclos.browser.BrowserParticipant;
import org.huisclos.browser.ChromiumParticipant;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The web client in headless Chromium with fake devices, against the fake media node sending a
 * parseable (but unreachable) offer: the page joins, answers with its tracks on mids a and v,
 * maps the offer's tracks, keeps the roster, and resumes after a dropped WebSocket. Media does
 * not flow here (MeetingBrowserTest has the real media node). Without Chromium the test fails:
 * ./huisclos test installs it.
 */
class WebClientBrowserTest {
    private static Harness harness;
    private static ChromiumParticipant participant;
    private static ChromeDriver browser;

    @BeforeAll
    static void start() throws Exception {
        harness = new Harness(Duration.ofSeconds(20));
        harness.node.sdp = WebClientBrowserTest::offerSdp;
        participant = new ChromiumParticipant("web-client");
        browser = (ChromeDriver) participant.driver();
    }

    @AfterAll
    static void stop() throws Exception {
        if (participant != null) {
            participant.close();
        }
        if (harness != null) {
            harness.close();
        }
    }

    @Test
    void preJoinScreenOffersNameAndDeviceToggles() throws Exception {
        browser.get(url("/prejoin-room"));
        assertTrue(browser.findElement(By.id("prejoin")).isDisplayed());
        assertTrue(browser.findElement(By.id("display-name")).isDisplayed());
        assertEquals("true", browser.findElement(By.id("pre-mic")).getDomAttribute("aria-pressed"));
        assertEquals("prejoin", js("return window.huisclos.state"));
    }

    @Test
    void autojoinAnswersTheOfferShowsTheRosterAndResumes() throws Exception {
        browser.get(url("/browser-room?name=Ada&autojoin=1"));
        awaitJs("the page joined", "return window.huisclos.state === 'joined'");
        String id = (String) js("return window.huisclos.participantId");

        TestClient.await("the page answered offer 1", () -> !harness.node.requests("answer", id).isEmpty());
        JsonObject answer = harness.node.requests("answer", id).get(0);
        assertEquals(1, answer.getInteger("version"));
        String sdp = answer.getString("sdp");
        assertTrue(sdp.contains("a=mid:a") && sdp.contains("a=mid:v") && sdp.contains("a=sendonly"), sdp);
        assertTrue(sdp.contains("a=setup:active"), sdp);
        assertEquals("pother", js("return window.huisclos.tracks.s0.participant"));
        assertEquals("audio", js("return window.huisclos.tracks.s0.kind"));
        assertEquals("sendonly", js("return window.huisclos.pc.getTransceivers()"
                + ".find(t => t.mid === 'a').direction"));
        awaitJs("the forwarded track has a tile with an audio element",
                "return !!document.querySelector('[data-participant=\"pother\"] audio')?.srcObject");

        try (TestClient grace = harness.client()) {
            String graceId = grace.join("browser-room", "Grace").getString("participant");
            awaitJs("the page lists Grace", "return window.huisclos.participants['" + graceId + "']?.name === 'Grace'");
            grace.expect("participant", m -> id.equals(m.getString("participant")) && "Ada".equals(m.getString("name")));
            awaitJs("Grace has a tile", "return !!document.querySelector('[data-participant=\"" + graceId + "\"]')");

            grace.send(new JsonObject().put("type", "mute").put("audio", false).put("video", true));
            awaitJs("the page shows Grace muted", "return window.huisclos.participants['" + graceId + "'].audio === false"
                    + " && !document.querySelector('[data-participant=\"" + graceId + "\"] .mic-off').hidden");

            browser.findElement(By.id("mic")).click();
            grace.expect("participant", m -> id.equals(m.getString("participant")) && !m.getBoolean("audio"));

            // A dropped WebSocket: the page resumes on a new one as the same participant.
            js("window.huisclos.ws.close()");
            awaitJs("the page resumed", "return window.huisclos.state === 'joined'"
                    + " && window.huisclos.ws.readyState === 1 && window.huisclos.errors.length === 0");
            assertEquals(id, js("return window.huisclos.participantId"));
            assertTrue(harness.node.requests("release", id).isEmpty());

            grace.send(new JsonObject().put("type", "leave"));
            awaitJs("Grace's tile goes", "return !document.querySelector('[data-participant=\"" + graceId + "\"]')");
        }

        browser.findElement(By.id("leave")).click();
        TestClient.await("leaving releases the page's participant", () -> !harness.node.requests("release", id).isEmpty());
        assertEquals("left", js("return window.huisclos.state"));
    }

    private static String url(String path) {
        return "http://127.0.0.1:" + harness.port + path;
    }

    private static Object js(String script) {
        return ((JavascriptExecutor) browser).executeScript(script);
    }

    private static void awaitJs(String what, String script) throws InterruptedException {
        try {
            TestClient.await(what, () -> Boolean.TRUE.equals(js(script)));
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; state " + js("return JSON.stringify({s: window.huisclos.state,"
                    + " e: window.huisclos.errors, p: window.huisclos.participants})"), e);
        }
    }

    /** An offer as the media node would make it: ICE-lite, actpass, receive a/v, one forwarded audio. */
    private static String offerSdp(int version) {
        String fingerprint = "AB:".repeat(31) + "AB";
        String transport = "c=IN IP4 127.0.0.1\r\na=rtcp-mux\r\na=ice-ufrag:srvr\r\n"
                + "a=ice-pwd:abcdefghijklmnopqrstuvwx\r\na=fingerprint:sha-256 " + fingerprint + "\r\n"
                + "a=setup:actpass\r\na=candidate:1 1 udp 2130706431 127.0.0.1 9 typ host\r\n";
        return "v=0\r\no=- 1 " + version + " IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=ice-lite\r\n"
                + "a=group:BUNDLE a v s0\r\n"
                + "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\n" + transport + "a=mid:a\r\na=recvonly\r\n"
                + "a=rtpmap:111 opus/48000/2\r\n"
                + "m=video 9 UDP/TLS/RTP/SAVPF 96\r\n" + transport + "a=mid:v\r\na=recvonly\r\n"
                + "a=rtpmap:96 VP8/90000\r\n"
                + "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\n" + transport + "a=mid:s0\r\na=sendonly\r\n"
                + "a=msid:pother pother-audio\r\na=ssrc:1111 cname:pother\r\na=rtpmap:111 opus/48000/2\r\n";
    }

}
