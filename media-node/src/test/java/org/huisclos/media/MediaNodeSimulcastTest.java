package org.huisclos.media;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.huisclos.media.peer.Await;
import org.huisclos.media.peer.MediaPump;
import org.huisclos.media.peer.Offer;
import org.huisclos.media.peer.ReceivedSimulcast;
import org.huisclos.media.peer.SimulcastPublisher;
import org.huisclos.media.peer.TestPeer;
import org.huisclos.media.rtp.RtpPacket;
import org.huisclos.media.rtcp.SenderReport;
import org.huisclos.media.rtp.Rtx;
import org.huisclos.media.transport.DropReason;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * End to end on 127.0.0.1, a {@link MediaNode} with simulcast on: a publisher sending three layers as
 * Chromium does ({@link SimulcastPublisher}: rids, no SSRCs in its answer) and subscribers that each
 * receive one continuous stream, of the layer their view asks for.
 */
class MediaNodeSimulcastTest {
    static final String NODE = "simulcast-node";
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    static final int[] HEIGHTS = {180, 360, 720};
    static final int Q = 0;
    static final int F = 2;
    /** 30 frames a second per layer. */
    static final long FRAME_MILLIS = 33;

    DeployedNode deployed;
    MediaNode node;
    Vertx vertx;
    final List<TestPeer> peers = new ArrayList<>();
    final List<MediaPump> pumps = new ArrayList<>();

    @BeforeEach
    void deploy() throws Exception {
        deployed = new DeployedNode(new MediaNodeConfig(NODE, "127.0.0.1", 0, 0, "127.0.0.1", 50, 1_000_000, false,
                null, null, 0, true));
        node = deployed.node;
        vertx = deployed.vertx;
    }

    @AfterEach
    void undeploy() throws Exception {
        for (MediaPump p : pumps) {
            p.close();
        }
        for (TestPeer p : peers) {
            p.close();
        }
        deployed.close();
    }

    TestPeer peer(String room, String id) throws Exception {
        TestPeer p = new TestPeer(vertx, NODE, room, id);
        peers.add(p);
        return p;
    }

    /** A simulcast publisher in {@code room}, joined and connected, not sending yet. */
    SimulcastPublisher publisher(String room) throws Exception {
        SimulcastPublisher pub = new SimulcastPublisher(vertx, NODE, room, "pub-" + room, MediaNodeConfig.SIMULCAST_RIDS,
                HEIGHTS, 0);
        peers.add(pub.peer());
        pub.peer().join();
        pub.peer().connect(TIMEOUT);
        return pub;
    }

    /** A participant joined and connected, recording what it receives of simulcast video from the start. */
    ReceivedSimulcast subscriber(String room, String id) throws Exception {
        TestPeer p = peer(room, id);
        ReceivedSimulcast received = new ReceivedSimulcast(p);
        p.join();
        p.connect(TIMEOUT);
        return received;
    }

    MediaPump pump(SimulcastPublisher pub) {
        MediaPump pump = new MediaPump(pub::sendFrame, FRAME_MILLIS);
        pumps.add(pump);
        return pump;
    }

    /** The mid of {@code publisher}'s video in {@code subscriber}'s latest offer, or null. */
    static String videoMid(TestPeer subscriber, TestPeer publisher) {
        for (Offer.Track t : subscriber.latestOffer().tracks()) {
            if (t.participant().equals(publisher.participantId) && t.kind().equals("video")) {
                return t.mid();
            }
        }
        return null;
    }

    /** Whether {@code subscriber} has answered an offer carrying {@code publisher}'s video. */
    static boolean receivesVideoOf(TestPeer subscriber, TestPeer publisher) {
        return videoMid(subscriber, publisher) != null
                && subscriber.answeredVersion() >= subscriber.latestOffer().version();
    }

    static void awaitLayer(ReceivedSimulcast r, int layer, String who) {
        Await.until(TIMEOUT, () -> r.layer() == layer, () -> who + " receiving layer " + layer + ", is on " + r.layer());
    }

    static void report(String line) {
        System.out.println("[media-node-simulcast] " + line);
    }

    @Test
    void eachSubscriberGetsOneContinuousStreamOfTheLayerItsViewAsksFor() throws Exception {
        // sub1 is in the room before the publisher answers, sub2 joins after: both ways of being offered a stream
        ReceivedSimulcast r1 = subscriber("room-s", "sub1");
        SimulcastPublisher pub = publisher("room-s");
        TestPeer publisher = pub.peer();
        assertTrue(publisher.firstOffer().sdp().contains("a=simulcast:recv q;h;f\r\n"), "the node asks for simulcast");
        ReceivedSimulcast r2 = subscriber("room-s", "sub2");
        TestPeer s1 = r1.peer;
        TestPeer s2 = r2.peer;
        for (TestPeer s : List.of(s1, s2)) {
            Await.until(TIMEOUT, () -> s.latestOffer().midsOf(publisher.participantId).size() == 1
                    && s.answeredVersion() >= s.latestOffer().version(),
                    () -> s.participantId + " offered the publisher's audio alone, has " + s.latestOffer().tracks());
            assertEquals(null, videoMid(s, publisher), "no video offered before the first layer arrived");
        }

        long start = System.nanoTime();
        pump(pub);
        for (TestPeer s : List.of(s1, s2)) {
            Await.until(TIMEOUT, () -> receivesVideoOf(s, publisher), s.participantId + " answering the publisher's video");
        }
        report("video announced and answered " + (System.nanoTime() - start) / 1_000_000 + " ms after the first frame");
        List<Integer> layerSsrcs = pub.layers().stream().map(l -> l.ssrc).toList();
        int[] announced = new int[2];
        for (int i = 0; i < 2; i++) {
            TestPeer s = List.of(s1, s2).get(i);
            String mid = videoMid(s, publisher);
            long[] ssrcs = s.latestOffer().ssrcsOf(mid);
            assertEquals(2, ssrcs.length, "media and RTX SSRC of the one video line " + Arrays.toString(ssrcs));
            announced[i] = (int) ssrcs[0];
            assertTrue(layerSsrcs.contains(announced[i]), "announced under a layer's SSRC");
            for (Offer o : s.offers()) {
                List<Offer.Track> video = o.tracks().stream().filter(t -> t.participant().equals(publisher.participantId)
                        && t.kind().equals("video")).toList();
                assertTrue(video.isEmpty() || video.size() == 1 && video.get(0).mid().equals(mid)
                        && o.ssrcsOf(mid)[0] == ssrcs[0], "offer " + o.version() + " announces the video once: " + o.tracks());
            }
        }
        assertEquals(announced[0], announced[1], "both subscribers are offered the same SSRC");

        // By default (no view yet) both get the top layer.
        awaitLayer(r1, F, "sub1");
        awaitLayer(r2, F, "sub2");
        report("top layer at both " + (System.nanoTime() - start) / 1_000_000 + " ms after the first frame");

        // sub1 shows the video 180 px tall: it moves to q at a key frame, sub2 stays on f.
        long viewAt = System.nanoTime();
        int r2Before = r2.size();
        s1.sendView(Map.of(videoMid(s1, publisher), 180));
        awaitLayer(r1, Q, "sub1 after its 180 px view");
        report("sub1 on q " + (System.nanoTime() - viewAt) / 1_000_000 + " ms after its view");
        Await.until(TIMEOUT, () -> r2.size() - r2Before >= 30, "sub2 receiving 30 more frames");
        assertTrue(r2.since(r2Before).stream().allMatch(p -> p.layer() == F), "sub2 stays on f");

        // And back to f when it shows the video large again.
        viewAt = System.nanoTime();
        s1.sendView(Map.of(videoMid(s1, publisher), 720));
        awaitLayer(r1, F, "sub1 after its 720 px view");
        report("sub1 back on f " + (System.nanoTime() - viewAt) / 1_000_000 + " ms after its view");
        int n1 = r1.size();
        Await.until(TIMEOUT, () -> r1.size() - n1 >= 10, "sub1 receiving 10 more frames");

        for (ReceivedSimulcast r : List.of(r1, r2)) {
            assertEquals(List.of(), r.breaks(), "one continuous stream");
            assertTrue(r.packets().stream().allMatch(p -> p.ssrc() == announced[0]), "all under the announced SSRC");
        }
        assertTrue(r1.switches() >= 2, "sub1 switched f -> q -> f, switches: " + r1.switches());
        assertEquals(0, r2.switches(), "sub2, without a view, stays on the top layer");
        report("sub1: " + r1.size() + " packets, " + r1.switches() + " layer switches; sub2: " + r2.size() + " packets, "
                + r2.switches() + " switches; no breaks");
        assertEquals(0, node.drops().total(), "nothing dropped");
        for (TestPeer p : peers) {
            assertEquals(0, p.srtpFailures(), p.participantId + " SRTP failures");
            assertEquals(List.of(), p.answerErrors());
        }
    }

    @Test
    void aSubscriberJoiningAfterTheAnnouncementStartsAtAKeyFrameUnderTheSameSsrc() throws Exception {
        SimulcastPublisher pub = publisher("room-l");
        ReceivedSimulcast early = subscriber("room-l", "early");
        pump(pub);
        Await.until(TIMEOUT, () -> receivesVideoOf(early.peer, pub.peer()), "early answering the publisher's video");
        awaitLayer(early, F, "early");
        ReceivedSimulcast late = subscriber("room-l", "late");
        assertTrue(videoMid(late.peer, pub.peer()) != null, "the late joiner's first offer has the video");
        awaitLayer(late, F, "late");
        int n = late.size();
        Await.until(TIMEOUT, () -> late.size() - n >= 10, "late receiving 10 frames");
        assertTrue(late.packets().get(0).keyframe(), "starts at a key frame");
        assertEquals(early.peer.latestOffer().ssrcsOf(videoMid(early.peer, pub.peer()))[0],
                late.peer.latestOffer().ssrcsOf(videoMid(late.peer, pub.peer()))[0], "one SSRC for everyone");
        assertEquals(List.of(), late.breaks());
        assertEquals(List.of(), early.breaks());
    }

    @Test
    void withoutAViewTheTopLayerIsKeptWhileOtherLayersSizesAreUnknown() throws Exception {
        SimulcastPublisher pub = publisher("room-u");
        pub.loseFirstKeyframes(); // the node knows a layer's size only once someone asks for its key frame
        ReceivedSimulcast r1 = subscriber("room-u", "sub1");
        MediaPump pump = pump(pub);
        Await.until(TIMEOUT, () -> receivesVideoOf(r1.peer, pub.peer()), "sub1 answering the publisher's video");
        awaitLayer(r1, F, "sub1");
        long rounds = pump.rounds();
        Await.until(TIMEOUT, () -> pump.rounds() - rounds >= 100, "100 more frames (3 s, three choices of layers)");
        assertEquals(0, r1.switches(), "no view: no layer is too tall, so the top one stays; layers received: "
                + r1.packets().stream().map(ReceivedSimulcast.Packet::layer).distinct().toList());
        assertEquals(List.of(), r1.breaks());
    }

    @Test
    void aLayersSenderReportReachesTheSubscribersReceivingThatLayerInTheirNumbers() throws Exception {
        SimulcastPublisher pub = publisher("room-r");
        ReceivedSimulcast r1 = subscriber("room-r", "sub1");
        ReceivedSimulcast r2 = subscriber("room-r", "sub2");
        MediaPump pump = pump(pub);
        for (ReceivedSimulcast r : List.of(r1, r2)) {
            Await.until(TIMEOUT, () -> receivesVideoOf(r.peer, pub.peer()), "answering the publisher's video");
            awaitLayer(r, F, r.peer.participantId);
        }
        String mid = videoMid(r1.peer, pub.peer());
        int stream = (int) r1.peer.latestOffer().ssrcsOf(mid)[0];
        r1.peer.sendView(Map.of(mid, 180));
        awaitLayer(r1, Q, "sub1 after its 180 px view");
        pumps.remove(pump);
        pump.close(); // the publisher's numbers stay those of its last frames

        long ntp = 0x1234_5678_9abc_0000L;
        for (ReceivedSimulcast r : List.of(r1, r2)) {
            SimulcastPublisher.Layer layer = pub.layers().get(r.layer());
            long reportNtp = ++ntp;
            long last = pub.sendSenderReport(layer, reportNtp);
            Await.until(TIMEOUT, () -> r.peer.received().senderReports(stream).stream()
                    .anyMatch(sr -> SenderReport.ntpTimestamp(sr, 0) == reportNtp), "the SR of " + layer.rid);
            byte[] sr = r.peer.received().senderReports(stream).stream()
                    .filter(s -> SenderReport.ntpTimestamp(s, 0) == reportNtp).findFirst().orElseThrow();
            ReceivedSimulcast.Packet lastFrame = r.packets().stream().filter(p -> p.layer() == layer.index
                    && p.originalSeq() == (int) (last >>> 32)).findFirst().orElseThrow();
            assertEquals(lastFrame.timestamp(), SenderReport.rtpTimestamp(sr, 0),
                    layer.rid + "'s SR in the timestamps " + r.peer.participantId + " receives");
        }
        // each subscriber got the SR of its own layer only (the other was sent before or after it, in order)
        assertEquals(1, r1.peer.received().senderReports(stream).size(), "SRs at sub1");
        assertEquals(1, r2.peer.received().senderReports(stream).size(), "SRs at sub2");
    }

    @Test
    void aHiddenVideoPausesAndResumesAtAKeyFrameContinuing() throws Exception {
        SimulcastPublisher pub = publisher("room-p");
        ReceivedSimulcast r1 = subscriber("room-p", "sub1");
        TestPeer s1 = r1.peer;
        MediaPump pump = pump(pub);
        Await.until(TIMEOUT, () -> receivesVideoOf(s1, pub.peer()), "sub1 answering the publisher's video");
        awaitLayer(r1, F, "sub1");
        String mid = videoMid(s1, pub.peer());

        s1.sendView(Map.of(mid, 0));
        long pausedAt = System.nanoTime();
        long rounds = pump.rounds();
        Await.until(TIMEOUT, () -> pump.rounds() - rounds >= 45 && System.nanoTime() - pausedAt > 1_500_000_000L,
                "45 more frames sent, 1.5 s");
        // packets in flight when the view was applied may arrive in its first 250 ms (a loaded machine)
        long late = r1.packets().stream().filter(p -> p.nanos() - pausedAt > 250_000_000L).count();
        assertEquals(0, late, "packets received 0.25 to 1.5 s after the view of 0 px");
        int pausedSize = r1.size();

        long resumeAt = System.nanoTime();
        s1.sendView(Map.of(mid, 720));
        Await.until(TIMEOUT, () -> r1.size() - pausedSize >= 10, "sub1 receiving again");
        report("resumed " + (r1.since(pausedSize).get(0).nanos() - resumeAt) / 1_000_000 + " ms after the view");
        assertTrue(r1.since(pausedSize).get(0).keyframe(), "resumes at a key frame");
        assertEquals(F, r1.since(pausedSize).get(0).layer());
        assertEquals(List.of(), r1.breaks(), "numbers continue across the pause");
    }

    @Test
    void aNackForARewrittenSequenceNumberGetsThatPacketBack() throws Exception {
        SimulcastPublisher pub = publisher("room-n");
        ReceivedSimulcast r1 = subscriber("room-n", "sub1");
        TestPeer s1 = r1.peer;
        pump(pub);
        Await.until(TIMEOUT, () -> receivesVideoOf(s1, pub.peer()), "sub1 answering the publisher's video");
        String mid = videoMid(s1, pub.peer());
        long[] ssrcs = s1.latestOffer().ssrcsOf(mid);
        awaitLayer(r1, F, "sub1");
        s1.sendView(Map.of(mid, 180)); // on q the numbers are rewritten (the first layer kept the publisher's)
        awaitLayer(r1, Q, "sub1 after its 180 px view");
        int n = r1.size();
        Await.until(TIMEOUT, () -> r1.size() - n >= 5, "5 frames of q");
        ReceivedSimulcast.Packet ofQ = r1.since(n).get(2);
        // back to f: the packet of q is asked for after another switch changed the offsets
        s1.sendView(Map.of(mid, 720));
        awaitLayer(r1, F, "sub1 after its 720 px view");
        int m = r1.size();
        Await.until(TIMEOUT, () -> r1.size() - m >= 5, "5 frames of f");
        ReceivedSimulcast.Packet ofF = r1.since(m).get(2);
        assertEquals(List.of(), r1.breaks());
        for (ReceivedSimulcast.Packet asked : List.of(ofQ, ofF)) {
            assertRetransmitted(s1, ssrcs, asked, pub.layers().get(asked.layer()));
        }
    }

    /** A NACK for {@code asked} brings it back on the RTX SSRC, as it was forwarded (rewritten numbers). */
    static void assertRetransmitted(TestPeer s1, long[] ssrcs, ReceivedSimulcast.Packet asked,
                                    SimulcastPublisher.Layer layer) {
        byte[] received = s1.received().packet((int) ssrcs[0], asked.seq());
        assertNotNull(received);
        assertNotNull(layer.sent(asked.originalSeq()), "the publisher sent it");
        assertTrue(asked.seq() != asked.originalSeq(), "the packet's sequence number was rewritten");
        long nackAt = System.nanoTime();
        s1.sendNack((int) ssrcs[0], asked.seq());
        Await.until(TIMEOUT, () -> s1.received().retransmission((int) ssrcs[1], asked.seq()) != null,
                "RTX of " + asked.seq() + " on " + (ssrcs[1] & 0xffffffffL));
        report("NACK to RTX of a packet of " + layer.rid + " at sub1: " + (System.nanoTime() - nackAt) / 1_000_000 + " ms");
        byte[] rtx = s1.received().retransmission((int) ssrcs[1], asked.seq());
        assertEquals(asked.seq(), Rtx.originalSequenceNumber(rtx, 0, rtx.length));
        assertEquals(asked.timestamp(), RtpPacket.timestamp(rtx, 0), "the rewritten timestamp");
        int payload = RtpPacket.payloadOffset(rtx, 0);
        int original = RtpPacket.payloadOffset(received, 0);
        assertArrayEquals(Arrays.copyOfRange(received, original, received.length),
                Arrays.copyOfRange(rtx, payload + Rtx.OSN_LENGTH, rtx.length),
                "the RTX payload is the packet as forwarded (rewritten PictureID and TL0PICIDX)");
    }

    @Test
    void repairStreamsAndUnknownRidsAreDroppedAndCounted() throws Exception {
        SimulcastPublisher pub = publisher("room-d");
        pump(pub); // the node may get the first frames before its side of DTLS is done: they would be dropped
        Await.until(TIMEOUT, () -> node.counters().packetsIn() >= 3, "the three layers' first frames in");
        long rtx0 = node.drops().count(DropReason.RTX_UPSTREAM);
        long unknown0 = node.drops().count(DropReason.RTP_UNKNOWN_SSRC);
        for (int i = 0; i < 5; i++) {
            pub.sendOther(0x7000_0000 + i, SimulcastPublisher.REPAIRED_RTP_STREAM_ID, "f");
        }
        for (int i = 0; i < 7; i++) {
            pub.sendOther(0x7100_0000 + i, SimulcastPublisher.RTP_STREAM_ID, "x");
        }
        Await.until(TIMEOUT, () -> node.drops().count(DropReason.RTX_UPSTREAM) - rtx0 == 5
                && node.drops().count(DropReason.RTP_UNKNOWN_SSRC) - unknown0 == 7,
                () -> "drops: RTX_UPSTREAM " + (node.drops().count(DropReason.RTX_UPSTREAM) - rtx0)
                        + ", RTP_UNKNOWN_SSRC " + (node.drops().count(DropReason.RTP_UNKNOWN_SSRC) - unknown0));
        assertEquals(0, node.drops().count(DropReason.SRTP_AUTH_FAILED));
    }

    @Test
    void aPublisherWithoutSimulcastIsForwardedAsBefore() throws Exception {
        TestPeer a = subscriber("room-1", "plain-a").peer; // answers without simulcast, publishes one video
        TestPeer b = subscriber("room-1", "plain-b").peer;
        Await.until(TIMEOUT, () -> a.answeredVersion() >= 2, "A answering the offer with B's streams");
        String mid = b.latestOffer().midsOf(a.participantId).stream()
                .filter(m -> b.latestOffer().tracks().stream().anyMatch(t -> t.mid().equals(m) && t.kind().equals("video")))
                .findFirst().orElseThrow();
        assertArrayEquals(new long[] {a.videoSsrc & 0xffffffffL, a.rtxSsrc & 0xffffffffL}, b.latestOffer().ssrcsOf(mid));
        try (MediaPump pump = new MediaPump(List.of(a), 10)) {
            Await.until(TIMEOUT, () -> b.received().packets(a.videoSsrc) >= 50, "50 video packets at B");
        }
        int last = b.received().stats(a.videoSsrc).lastSeq;
        for (int seq = last - 20; seq <= last; seq++) {
            byte[] got = b.received().packet(a.videoSsrc, seq & 0xffff);
            assertNotNull(got, "packet " + (seq & 0xffff) + " arrived");
            byte[] sent = a.sent("video", seq & 0xffff);
            // unchanged but for the node's own transport-wide sequence number (it estimates B's downlink)
            assertTrue(org.huisclos.media.rtp.HeaderExtensions.transportSequence(got, 0, got.length,
                    org.huisclos.media.sdp.HeaderExtension.TRANSPORT_CC.id()) >= 0, "numbered for B's estimate");
            assertEquals(sent[0] | 0x10, got[0], "the X bit set, the rest of the first byte unchanged");
            assertArrayEquals(java.util.Arrays.copyOfRange(sent, 1, 12), java.util.Arrays.copyOfRange(got, 1, 12),
                    "video packet " + (seq & 0xffff) + ": header unchanged");
            assertArrayEquals(java.util.Arrays.copyOfRange(sent, RtpPacket.payloadOffset(sent, 0), sent.length),
                    java.util.Arrays.copyOfRange(got, RtpPacket.payloadOffset(got, 0), got.length),
                    "video packet " + (seq & 0xffff) + ": payload unchanged");
        }
        assertEquals(0, node.drops().total());
    }
}
