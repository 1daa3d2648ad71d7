package org.huisclos.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.huisclos.launcher.Huisclos;
import org.huisclos.launcher.TestServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The end-to-end encryption worker against a dishonest server (docs/e2ee.md, "Replays and sender
 * ids"), driven directly in each browser: frames go through the real e2ee-worker.js served by
 * Huisclos, as the page's transforms would hand them over (streams transferred to the worker).
 * <ul>
 *   <li>Two pages given the same participant id (the server chooses ids) never encrypt under the
 *       same key and IV: their first frames, the same plaintext, differ in every ciphertext byte
 *       that the IV reaches.</li>
 *   <li>A receiver decrypts each authentic frame once: a frame the server sends again is dropped
 *       ("replay"), so is one older than the replay window ("old").</li>
 * </ul>
 */
class E2eeWorkerBrowserTest {
    /**
     * A harness in the page: workers on /assets/e2ee-worker.js, each told a room key, its own
     * participant id and that mid "0" carries participant "ada". {@code run(worker, side, frames)}
     * pipes audio frames through the worker's transform and resolves to what comes out.
     */
    private static final String HARNESS = """
            window.e2eeHarness = (() => {
              const key = crypto.getRandomValues(new Uint8Array(32));
              function worker(self) {
                const w = new Worker('/assets/e2ee-worker.js');
                w.postMessage({ type: 'key', key });
                w.postMessage({ type: 'self', participant: self });
                w.postMessage({ type: 'tracks', tracks: { '0': 'ada' } });
                return w;
              }
              function run(w, side, frames) {
                const out = [];
                return new Promise((resolve, reject) => {
                  const input = new ReadableStream({ start(c) { frames.forEach((f) => c.enqueue(f)); c.close(); } });
                  const output = new WritableStream({ write(f) { out.push(f); }, close() { resolve(out); }, abort: reject });
                  w.postMessage({ type: 'streams', readable: input, writable: output,
                                  options: { side, kind: 'audio', mid: '0' } }, [input, output]);
                });
              }
              function stats(w) {
                return new Promise((resolve) => {
                  const listener = (e) => {
                    if (e.data && e.data.type === 'stats') { w.removeEventListener('message', listener); resolve(e.data.stats); }
                  };
                  w.addEventListener('message', listener);
                  w.postMessage({ type: 'stats' });
                });
              }
              /** A worker that encrypts: its key is imported asynchronously, so try until a frame comes out. */
              async function sender(self) {
                const w = worker(self);
                const deadline = Date.now() + 10000;
                while ((await run(w, 'send', [frame(0)])).length === 0) {
                  if (Date.now() > deadline) throw new Error('the worker never took its key');
                }
                return w;
              }
              function frame(i) {
                const data = new Uint8Array(40);
                data[0] = 0xfc;                      // an Opus TOC byte, left in clear
                for (let j = 1; j < data.length; j++) data[j] = (i * 7 + j) & 0xff;
                return { type: 'key', data: data.buffer };
              }
              const bytes = (f) => Array.from(new Uint8Array(f.data));
              return { worker, run, stats, sender, frame, bytes };
            })();
            """;

    private static Huisclos server;
    private static final List<BrowserParticipant> browsers = new ArrayList<>();

    @BeforeAll
    static void startServer() throws Exception {
        server = TestServers.start(TestNetwork.shared().hostAddress(), "e2ee-worker-test", Map.of());
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

    private static BrowserParticipant page(BrowserParticipant.Kind kind) {
        String base = TestServers.origin(TestNetwork.shared().hostAddress(), server);
        BrowserParticipant b = BrowserParticipant.of(kind, "Worker", base);
        browsers.add(b);
        b.open(base + "/check");
        b.js(HARNESS);
        return b;
    }

    @ParameterizedTest
    @EnumSource(BrowserParticipant.Kind.class)
    @SuppressWarnings("unchecked")
    void twoPagesWithOneParticipantIdNeverShareAnIvAndReplayedFramesAreDropped(BrowserParticipant.Kind kind) {
        BrowserParticipant b = page(kind);
        Map<String, Object> r = (Map<String, Object>) b.jsAsync("""
                (async () => {
                  const h = window.e2eeHarness;
                  const ada = await h.sender('ada'), twin = await h.sender('ada'), bob = h.worker('bob');
                  const plain = [1, 2, 3].map(h.frame);
                  const sealed = await h.run(ada, 'send', plain.map((f) => ({ type: f.type, data: f.data.slice(0) })));
                  const twins = await h.run(twin, 'send', plain.map((f) => ({ type: f.type, data: f.data.slice(0) })));
                  // The server sends frame 1 and 2 twice; then 1100 newer frames, then frame 1 once more.
                  const [s1, s2, s3] = sealed.map((f) => ({ type: f.type, data: f.data }));
                  const copy = (f) => ({ type: f.type, data: f.data.slice(0) });
                  const got = await h.run(bob, 'recv', [copy(s1), copy(s2), copy(s1), copy(s3), copy(s2)]);
                  const afterReplays = await h.stats(bob);
                  const many = await h.run(ada, 'send', Array.from({ length: 1100 }, (_, i) => h.frame(100 + i)));
                  const gotMany = await h.run(bob, 'recv', many);
                  const gotOld = await h.run(bob, 'recv', [copy(s1)]);
                  const end = await h.stats(bob);
                  return {
                    sealed: sealed.map(h.bytes), twins: twins.map(h.bytes),
                    received: got.map(h.bytes), plain: plain.map(h.bytes),
                    replays: afterReplays.why['audio replay'] || 0,
                    many: gotMany.length, old: gotOld.length, oldCount: end.why['audio old'] || 0,
                    decrypted: end.decrypted, failed: end.failed,
                  };
                })()
                """);
        List<List<Number>> sealed = (List<List<Number>>) r.get("sealed");
        List<List<Number>> twins = (List<List<Number>>) r.get("twins");
        assertEquals(3, sealed.size(), kind + ": " + r);
        assertEquals(3, twins.size(), kind + ": " + r);
        for (int i = 0; i < 3; i++) {
            List<Number> a = sealed.get(i);
            List<Number> t = twins.get(i);
            assertEquals(a.size(), t.size());
            // The ciphertext and tag follow the clear TOC byte and the header; a shared IV would make them equal.
            int start = a.size() - (40 - 1) - 16;
            assertNotEquals(a.subList(start, a.size()), t.subList(start, t.size()),
                    kind + ": frame " + i + " of two pages with the same participant id has the same ciphertext");
        }
        assertEquals(r.get("plain"), r.get("received"), kind + ": each authentic frame decrypted once, in order: " + r);
        assertEquals(2L, ((Number) r.get("replays")).longValue(), kind + ": the two replays dropped: " + r);
        assertEquals(1100L, ((Number) r.get("many")).longValue(), kind + ": " + r);
        assertEquals(0L, ((Number) r.get("old")).longValue(), kind + ": a frame older than the window: " + r);
        assertEquals(1L, ((Number) r.get("oldCount")).longValue(), kind + ": counted as old: " + r);
        assertEquals(1103L, ((Number) r.get("decrypted")).longValue(), kind + ": " + r);
        assertTrue(((Number) r.get("failed")).longValue() == 3, kind + ": two replays and one old frame failed: " + r);
    }
}
