package org.huisclos.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;

/**
 * Proves that Chromium, chromedriver, our flags and getStats work on this machine: a page
 * connects two RTCPeerConnections to each other over loopback, one sends the fake camera,
 * and the receiver's decoded frame count must keep rising.
 */
class BrowserHarnessTest {

    // Two peer connections in one page: offer/answer and candidates are handed over directly.
    private static final String PAGE = """
            <!doctype html><html><body><video id="v" autoplay muted playsinline></video><script>
            window.huisclos = {state: 'starting'};
            (async () => {
              try {
                const sender = new RTCPeerConnection({iceServers: []});
                const pc = new RTCPeerConnection({iceServers: []});
                sender.onicecandidate = e => e.candidate && pc.addIceCandidate(e.candidate);
                pc.onicecandidate = e => e.candidate && sender.addIceCandidate(e.candidate);
                pc.ontrack = e => { document.getElementById('v').srcObject = e.streams[0]; };
                const media = await navigator.mediaDevices.getUserMedia({video: {width: 320, height: 240}});
                media.getVideoTracks().forEach(t => sender.addTrack(t, media));
                await sender.setLocalDescription(await sender.createOffer());
                await pc.setRemoteDescription(sender.localDescription);
                await pc.setLocalDescription(await pc.createAnswer());
                await sender.setRemoteDescription(pc.localDescription);
                Object.assign(window.huisclos, {sender, pc, state: 'negotiated'});
              } catch (e) {
                window.huisclos.state = 'error: ' + e;
              }
            })();
            </script></body></html>
            """;

    private static Vertx vertx;
    private static HttpServer server;

    @BeforeAll
    static void serve() throws Exception {
        vertx = Vertx.vertx();
        server = vertx.createHttpServer()
                .requestHandler(req -> req.response()
                        .putHeader("content-type", "text/html; charset=utf-8")
                        .end(PAGE))
                .listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() throws Exception {
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void fakeCameraVideoIsDecodedAcrossLoopbackPeerConnections() {
        long t0 = System.nanoTime();
        try (BrowserParticipant browser = new ChromiumParticipant("self-test")) {
            System.out.printf("chromium start: %d ms%n", (System.nanoTime() - t0) / 1_000_000);
            browser.open("http://127.0.0.1:" + server.actualPort() + "/");

            browser.waitUntil("both peer connections negotiated", Duration.ofSeconds(15),
                    () -> {
                        Object state = browser.js("return window.huisclos.state");
                        if (String.valueOf(state).startsWith("error")) {
                            throw new AssertionError("page failed: " + state);
                        }
                        return "negotiated".equals(state);
                    });

            AtomicReference<RtcStats.Snapshot> first = new AtomicReference<>();
            browser.waitUntil("first decoded video frame", Duration.ofSeconds(20), () -> {
                first.set(RtcStats.snapshot(browser, "window.huisclos.pc"));
                return first.get().framesDecoded() > 0;
            });
            RtcStats.Snapshot a = first.get();
            assertEquals(1, a.inbound("video").size(), "one inbound video stream: " + a);
            RtcStats.Inbound video = a.inbound("video").get(0);
            assertNotNull(video.mid(), "Chrome reports mid in inbound-rtp: " + a);
            assertTrue(video.packetsReceived() > 0 && video.bytesReceived() > 0, a.toString());

            // Frames must keep coming, not just one: wait for a clearly later count.
            AtomicReference<RtcStats.Snapshot> later = new AtomicReference<>();
            browser.waitUntil("framesDecoded rising beyond " + (a.framesDecoded() + 10),
                    Duration.ofSeconds(20), () -> {
                        later.set(RtcStats.snapshot(browser, "window.huisclos.pc"));
                        return later.get().framesDecoded() >= a.framesDecoded() + 10;
                    });
            RtcStats.Snapshot b = later.get();
            assertEquals(video.ssrc(), b.inbound("video").get(0).ssrc(), "same stream: " + b);
            assertTrue(b.inbound("video").get(0).keyFramesDecoded() >= 1, b.toString());

            RtcStats.Snapshot sent = RtcStats.snapshot(browser, "window.huisclos.sender");
            assertTrue(sent.packetsSent() >= video.packetsReceived(), "sender side: " + sent);
        }
    }
}
