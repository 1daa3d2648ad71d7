package org.huisclos.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.huisclos.launcher.Huisclos;
import org.huisclos.launcher.TestServers;
import org.huisclos.media.transport.DropReason;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Simulcast (issue 14): Chromium and Firefox publish three layers each; every page receives one
 * continuous stream of each other participant, and the layer follows the size the page renders the
 * video at. Attribution is by the senders' own SSRCs (the stream goes out under the SSRC of one of the
 * sender's layers) and the layer by its frame height compared with the sender's own outbound-rtp of
 * each rid.
 */
class SimulcastBrowserTest {
    private static final Duration MEDIA_DEADLINE = Duration.ofSeconds(90);
    private static final Duration SWITCH_DEADLINE = Duration.ofSeconds(20);
    private static final List<BrowserParticipant> browsers = new ArrayList<>();
    private static TestNetwork network;
    private static Huisclos server;
    private static String origin;

    @BeforeAll
    static void startServer() throws Exception {
        network = TestNetwork.shared();
        server = TestServers.start(network.hostAddress(), "simulcast-test", Map.of("HUISCLOS_SIMULCAST", "1"));
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

    private static BrowserParticipant join(BrowserParticipant.Kind kind, String name) {
        BrowserParticipant b = BrowserParticipant.of(kind, name, origin);
        browsers.add(b);
        b.open(origin + "/simulcast-meeting?name=" + name + "&autojoin=1");
        return b;
    }

    private static String participantId(BrowserParticipant b) {
        return (String) b.js("return window.huisclos.participantId");
    }

    /** The sender's video layers as its own stats show them: rid -> frame height (0 for a layer not sent). */
    private static Map<String, Long> layerHeights(BrowserParticipant sender) {
        return RtcStats.pageSnapshot(sender).outbound().stream()
                .filter(o -> o.kind().equals("video") && o.rid() != null)
                .collect(Collectors.toMap(RtcStats.Outbound::rid, RtcStats.Outbound::frameHeight, Math::max));
    }

    /** What {@code page} receives of {@code sender}'s video, found by the sender's SSRCs; null before anything. */
    private static RtcStats.Inbound videoFrom(BrowserParticipant page, BrowserParticipant sender) {
        Set<Long> ssrcs = RtcStats.sendingSsrcs(sender);
        List<RtcStats.Inbound> in = RtcStats.pageSnapshot(page).inbound("video").stream()
                .filter(i -> ssrcs.contains(i.ssrc())).toList();
        assertTrue(in.size() <= 1, page + " receives " + sender + "'s video as one stream: " + in);
        return in.isEmpty() ? null : in.get(0);
    }

    /** Renders {@code sender}'s tile on {@code page} at the given CSS size (0 x 0: hidden). */
    private static void resizeTile(BrowserParticipant page, BrowserParticipant sender, int width, int height) {
        page.js("const tile = document.querySelector('[data-participant=\"' + arguments[0] + '\"]');"
                + "if (arguments[2] === 0) { tile.hidden = true; return; }"
                + "tile.hidden = false;"
                + "tile.style.setProperty('width', arguments[1] + 'px', 'important');"
                + "tile.style.setProperty('height', arguments[2] + 'px', 'important');"
                + "tile.style.setProperty('flex', 'none', 'important');", participantId(sender), width, height);
    }

    private static long packetsSent(BrowserParticipant sender, String rid) {
        return RtcStats.pageSnapshot(sender).outbound().stream().filter(o -> rid.equals(o.rid()))
                .mapToLong(RtcStats.Outbound::packetsSent).sum();
    }

    /** Waits until the sender's layer {@code rid} sends nothing for a second (five looks 200 ms apart). */
    private static void awaitStill(BrowserParticipant sender, String rid) {
        long[] last = {-1};
        int[] still = {0};
        sender.waitUntil(sender + " stops encoding layer " + rid, SWITCH_DEADLINE, () -> {
            long now = packetsSent(sender, rid);
            still[0] = now == last[0] ? still[0] + 1 : 0;
            last[0] = now;
            return still[0] >= 5;
        });
    }

    /** Waits until {@code page} decodes {@code sender}'s video at the height of the sender's layer {@code rid}. */
    private static RtcStats.Inbound awaitLayer(BrowserParticipant page, BrowserParticipant sender, String rid) {
        RtcStats.Inbound[] last = new RtcStats.Inbound[1];
        Map<String, Long>[] layers = new Map[1];
        long[] framesBefore = {-1};
        try {
            page.waitUntil(page + " decodes " + sender + "'s layer " + rid, SWITCH_DEADLINE, () -> {
                layers[0] = layerHeights(sender);
                last[0] = videoFrom(page, sender);
                Long want = layers[0].get(rid);
                if (last[0] == null || want == null || want == 0 || last[0].frameHeight() != want) {
                    framesBefore[0] = -1;
                    return false;
                }
                if (framesBefore[0] < 0) {
                    framesBefore[0] = last[0].framesDecoded();
                    return false;
                }
                return last[0].framesDecoded() > framesBefore[0]; // at that height, and still decoding
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; sender's layers (rid=height): " + layers[0]
                    + "; received: " + last[0], e);
        }
        return last[0];
    }

    @Test
    void chromiumAndFirefoxPublishLayersAndEachPageGetsTheLayerItsTileNeeds() {
        BrowserParticipant ada = join(BrowserParticipant.Kind.CHROMIUM, "Ada");
        BrowserParticipant grace = join(BrowserParticipant.Kind.FIREFOX, "Grace");
        BrowserParticipant alan = join(BrowserParticipant.Kind.CHROMIUM, "Alan");
        for (BrowserParticipant b : browsers) {
            b.waitUntil(b + " joined", Duration.ofSeconds(60), () -> participantId(b) != null);
        }
        for (BrowserParticipant b : browsers) {
            List<BrowserParticipant> others = new ArrayList<>(browsers);
            others.remove(b);
            RtcStats.awaitMediaFrom(b, others, MEDIA_DEADLINE);
        }
        // Every page answers the node's transport-wide sequence numbers with feedback: three estimates.
        alan.waitUntil("an estimate of each page's downlink", MEDIA_DEADLINE,
                () -> server.mediaNode().bandwidthEstimates().length == 3);
        assertTrue(server.mediaNode().counters().transportFeedback() > 0);
        System.out.println("SIMULCAST: downlink estimates (bits/s) " + java.util.Arrays.toString(
                server.mediaNode().bandwidthEstimates()) + " from " + server.mediaNode().counters().transportFeedback()
                + " feedback packets");
        for (BrowserParticipant sender : List.of(ada, grace)) {
            sender.waitUntil(sender + " sends three layers", MEDIA_DEADLINE,
                    () -> layerHeights(sender).keySet().equals(Set.of("q", "h", "f")));
            System.out.println("SIMULCAST: " + sender + " layers (rid=height) " + layerHeights(sender));
        }

        // Alan (Chromium) and Grace (Firefox) show Ada big, then small, then big again; Alan shows Grace small.
        for (BrowserParticipant page : List.of(alan, grace)) {
            resizeTile(page, ada, 1280, 720);
            RtcStats.Inbound big = awaitLayer(page, ada, "f");
            resizeTile(page, ada, 16, 9); // shorter than any layer: the smallest will do
            RtcStats.Inbound small = awaitLayer(page, ada, "q");
            resizeTile(page, ada, 1280, 720);
            RtcStats.Inbound again = awaitLayer(page, ada, "f");
            assertEquals(big.ssrc(), again.ssrc(), page + ": one continuous stream, one SSRC");
            assertTrue(again.framesDecoded() > small.framesDecoded() && small.framesDecoded() > big.framesDecoded(),
                    page + " decodes on through the switches: " + big + " / " + small + " / " + again);
            System.out.println("SIMULCAST: " + page + " got Ada's layers f, q, f: heights " + big.frameHeight() + ", "
                    + small.frameHeight() + ", " + again.frameHeight() + "; freezes " + again.freezeCount()
                    + " (" + again.totalFreezesDuration() + " s)");
        }
        resizeTile(alan, grace, 16, 9);
        awaitLayer(alan, grace, "q");

        // Hidden: nothing of Ada's video reaches Alan; shown again, it comes back.
        resizeTile(alan, ada, 0, 0);
        long[] previous = {-1};
        alan.waitUntil("Ada's video paused at Alan", SWITCH_DEADLINE, () -> {
            long now = videoFrom(alan, ada).packetsReceived();
            boolean still = now == previous[0];
            previous[0] = now;
            return still;
        });
        long paused = videoFrom(alan, ada).packetsReceived();
        // between the q and h layers' heights (h is twice q; it may be paused now, nobody wanted it): h is
        // the smallest that fills it, and stays so if the browser scales its camera picture by 3/4 or 4/3
        // meanwhile, as it does when short of CPU. Ada resumes encoding h if she had paused it.
        int between = (int) (layerHeights(ada).get("q") * 3 / 2);
        resizeTile(alan, ada, between * 16 / 9, between);
        awaitLayer(alan, ada, "h");
        assertTrue(videoFrom(alan, ada).packetsReceived() > paused, "Ada's video resumes at Alan");

        // Nobody wants Ada's h and f layers now: she stops encoding them; wanted again, f comes back.
        resizeTile(alan, ada, 16, 9);
        resizeTile(grace, ada, 16, 9);
        for (String rid : List.of("h", "f")) {
            awaitStill(ada, rid);
        }
        var counters = server.mediaNode().counters();
        assertTrue(counters.layersNotEncoded() >= 2, "the node counts the layers it paused: " + counters.layersNotEncoded());
        long stopped = packetsSent(ada, "f");
        resizeTile(grace, ada, 1280, 720);
        awaitLayer(grace, ada, "f");
        assertTrue(packetsSent(ada, "f") > stopped, "Ada encodes layer f again");
        System.out.println("SIMULCAST: Ada paused layers h and f while nobody wanted them, and resumed f for Grace");

        assertTrue(counters.layerSwitches() >= 6, "switches counted: " + counters.layerSwitches());
        assertTrue(counters.switchKeyframeRequests() > 0, "key frames asked for switches: " + counters.switchKeyframeRequests());
        System.out.println("SIMULCAST: downlink estimates at the end (bits/s) " + java.util.Arrays.toString(
                server.mediaNode().bandwidthEstimates()));
        var drops = server.mediaNode().drops();
        assertEquals(0, drops.count(DropReason.SRTP_AUTH_FAILED), "SRTP authentication failures");
        assertEquals(0, drops.count(DropReason.RTP_UNKNOWN_SSRC), "packets from SSRCs of no layer");
    }
}
