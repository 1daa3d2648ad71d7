package org.huisclos.loadgen;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.huisclos.media.dtls.DtlsCertificate;
import org.huisclos.media.srtp.SrtpProfile;

/**
 * Runs one scenario against a node (SFU or plain relay, through its control connection) or against Janus
 * (through its HTTP API): joins {@code rooms × (publishers + subscribers)} participants, sends for a warm-up,
 * then for the measured window, and reports what the node did (CPU per forwarded packet, RSS) and what the
 * subscribers got (delivered/expected, added latency). Janus has no forwarding counter we read: its forwarded
 * packets are the ones the subscribers received.
 */
public final class Generator {

    /**
     * @param publishers   per room; each publishes audio and video and receives the other publishers
     * @param subscribers  receive-only participants per room
     * @param videoBitrate bits/s of each publisher's video
     * @param profile      the SRTP profile the generator offers (null: both, the node picks)
     * @param plain        the relay floor: no signaling, no crypto
     */
    public record Scenario(int rooms, int publishers, int subscribers, long videoBitrate, int fps,
                           SrtpProfile profile, double warmupSeconds, double measureSeconds, boolean plain) {
        int participantsPerRoom() {
            return publishers + subscribers;
        }

        String describe() {
            return rooms + "×" + publishers + "p×" + subscribers + "s" + (plain ? " plain" : "");
        }
    }

    private final Scenario s;
    /** UDP datagrams the kernel dropped on full receive buffers during the measured window (-1: unknown). */
    private long udpBufferDrops = -1;
    private final NodeClient node;
    private final JanusSignaling janus;
    private final long nodePid;
    private final int mediaPort;
    private final List<Participant> all = new ArrayList<>();

    public Generator(Scenario scenario, NodeClient node, long nodePid, int mediaPort) {
        this.s = scenario;
        this.node = node;
        this.janus = null;
        this.nodePid = nodePid;
        this.mediaPort = mediaPort;
    }

    /** Against Janus ({@code janusPid}), whose session {@code janus} is open. */
    Generator(Scenario scenario, JanusSignaling janus, long janusPid) {
        if (scenario.plain()) {
            throw new IllegalArgumentException("the relay floor is not a Janus scenario");
        }
        this.s = scenario;
        this.node = null;
        this.janus = janus;
        this.nodePid = janusPid;
        this.mediaPort = -1;
    }

    static String roomName(int index) {
        return "bench-room-" + index;
    }

    static int roomIndex(String roomName) {
        return Integer.parseInt(roomName.substring(roomName.lastIndexOf('-') + 1));
    }

    public JsonObject run() throws Exception {
        long rssBase = Proc.rssKb(nodePid);
        ExecutorService dtlsPool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "loadgen-dtls");
            t.setDaemon(true);
            return t;
        });
        DtlsCertificate certificate = s.plain() ? null : DtlsCertificate.generate();
        Histogram joinMillis = new Histogram(600_000, 3);
        try (Receiver receiver = new Receiver()) {
            if (janus != null) {
                all.addAll(JanusRooms.legs(s));
            } else {
                int n = 0;
                for (int r = 0; r < s.rooms(); r++) {
                    for (int i = 0; i < s.participantsPerRoom(); i++) {
                        all.add(new Participant(n++, roomName(r), i < s.publishers(), s.plain()));
                    }
                }
            }
            all.forEach(receiver::add);
            if (s.plain()) {
                routePlain();
            } else if (janus != null) {
                new JanusRooms(janus).join(all, certificate, s.profile(), dtlsPool, joinMillis, 20_000);
            } else {
                for (Participant p : all) {
                    p.join(node, certificate, s.profile(), dtlsPool, 20_000);
                    joinMillis.recordValue(p.joinMillis);
                }
                long deadline = System.nanoTime() + 20_000_000_000L;
                while (!all.stream().allMatch(Participant::settled) && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
            }
            Sender sender = new Sender(all, s);
            sender.start();
            sleepSeconds(s.warmupSeconds());
            long rssLoaded = Proc.rssKb(nodePid);
            JsonObject before = node == null ? null : node.stats();
            long cpu0 = Proc.cpuNanos(nodePid);
            long self0 = Proc.cpuNanos(ProcessHandle.current().pid());
            long bufferDrops0 = Proc.udpReceiveBufferDrops();
            long t0 = System.nanoTime();
            sender.measured = true;
            sleepSeconds(s.measureSeconds());
            sender.measured = false;
            long t1 = System.nanoTime();
            long cpu1 = Proc.cpuNanos(nodePid);
            long self1 = Proc.cpuNanos(ProcessHandle.current().pid());
            udpBufferDrops = bufferDrops0 < 0 ? -1 : Proc.udpReceiveBufferDrops() - bufferDrops0;
            JsonObject after = node == null ? null : node.stats();
            sleepSeconds(1.0); // the last measured packets arrive
            sender.stop();
            return result(before, after, cpu1 - cpu0, self1 - self0, t1 - t0, rssBase, rssLoaded, joinMillis, sender);
        } finally {
            all.forEach(Participant::close);
            dtlsPool.shutdownNow();
        }
    }

    private void routePlain() throws Exception {
        java.net.InetSocketAddress relay = NodeMain.loopback(mediaPort);
        for (Participant p : all) {
            p.target(relay);
            if (!p.publisher) {
                continue;
            }
            List<Integer> to = new ArrayList<>();
            for (Participant q : all) {
                if (q != p && q.room.equals(p.room)) {
                    to.add(q.port());
                }
            }
            node.route(p.port(), to.stream().mapToInt(Integer::intValue).toArray());
        }
    }

    private JsonObject result(JsonObject before, JsonObject after, long nodeCpu, long selfCpu, long windowNanos,
                              long rssBase, long rssLoaded, Histogram joinMillis, Sender sender) {
        double seconds = windowNanos / 1e9;
        Histogram latency = new Histogram(10_000_000L, 3);
        long expectedTotal = 0;
        long deliveredTotal = 0;
        double worstLoss = 0;
        long srtpFailures = 0;
        long plis = 0;
        long keyframes = 0;
        long answerErrors = 0;
        long sent = 0;
        long measuredForSubscribers = 0; // every measured packet times its receivers, sampled or not
        for (Participant sub : all) {
            sent += sub.measuredSent.get();
            srtpFailures += sub.srtpFailures;
            plis += sub.plis.get();
            keyframes += sub.keyframesSent.get();
            answerErrors += sub.answerErrors();
            if (!sub.receives) {
                continue;
            }
            long expected = 0;
            for (Participant pub : all) {
                if (pub.publisher && pub.person != sub.person && pub.room.equals(sub.room)) {
                    expected += pub.sampledSent.get();
                    measuredForSubscribers += pub.measuredSent.get();
                }
            }
            expectedTotal += expected;
            deliveredTotal += sub.measuredReceived;
            if (expected > 0) {
                worstLoss = Math.max(worstLoss, 1.0 - (double) sub.measuredReceived / expected);
            }
            latency.add(sub.latencyMicros);
        }
        // Janus: what the subscribers received is what it forwarded (RTP only; the node's counter includes RTCP).
        // Receivers decrypt one packet in Participant.decryptOneIn: scale the sampled delivery up to all packets.
        long deliveredAll = expectedTotal == 0 ? 0
                : Math.round((double) measuredForSubscribers * deliveredTotal / expectedTotal);
        long forwarded = before == null ? deliveredAll : after.getLong("packetsOut") - before.getLong("packetsOut");
        long in = before == null ? sent : after.getLong("packetsIn") - before.getLong("packetsIn");
        double loss = expectedTotal == 0 ? 1.0 : 1.0 - (double) deliveredTotal / expectedTotal;
        int participants = (int) all.stream().mapToInt(p -> p.person).distinct().count();
        JsonObject r = new JsonObject()
                .put("scenario", s.describe())
                .put("rooms", s.rooms()).put("publishers", s.publishers()).put("subscribers", s.subscribers())
                .put("participants", participants)
                .put("mode", s.plain() ? "plain-relay" : janus != null ? "janus" : "sfu")
                .put("srtpProfile", s.plain() ? "none" : s.profile() == null ? "node's choice" : s.profile().name())
                .put("videoBitrate", s.videoBitrate()).put("fps", s.fps())
                .put("videoPacketsPerFrame", Sender.packetsPerFrame(s)).put("videoPayloadBytes", Sender.payload(s))
                .put("measureSeconds", round(seconds, 2))
                .put("nodePacketsInPerSecond", round(in / seconds, 0))
                .put("forwardedPerSecond", round(forwarded / seconds, 0))
                .put("nodeCpuPercent", round(100.0 * nodeCpu / windowNanos, 1))
                .put("cpuMicrosPerForwarded", forwarded == 0 ? null : round(nodeCpu / 1000.0 / forwarded, 2))
                .put("deliveredPerSecond", round(deliveredAll / seconds, 0))
                .put("cpuMicrosPerDelivered", deliveredAll == 0 ? null : round(nodeCpu / 1000.0 / deliveredAll, 2))
                .put("generatorCpuPercent", round(100.0 * selfCpu / windowNanos, 1))
                .put("expected", expectedTotal).put("delivered", deliveredTotal)
                .put("decryptOneIn", s.plain() ? 1 : Participant.decryptOneIn)
                .put("udpReceiveBufferDrops", udpBufferDrops)
                .put("lossPercent", round(100 * loss, 3)).put("worstSubscriberLossPercent", round(100 * worstLoss, 3))
                .put("latencyMicrosP50", latency.getValueAtPercentile(50))
                .put("latencyMicrosP99", latency.getValueAtPercentile(99))
                .put("latencyMicrosP999", latency.getValueAtPercentile(99.9))
                .put("latencyMicrosMax", latency.getMaxValue())
                .put("rssBaseKb", rssBase).put("rssLoadedKb", rssLoaded)
                .put("rssPerParticipantKb", participants == 0 ? null : round((rssLoaded - rssBase) / (double) participants, 0))
                .put("joinMillisP50", s.plain() ? null : joinMillis.getValueAtPercentile(50))
                .put("joinMillisMax", s.plain() ? null : joinMillis.getMaxValue())
                .put("senderMaxLateMillis", round(sender.maxLateNanos / 1e6, 1))
                .put("srtpFailures", srtpFailures).put("plisReceived", plis).put("keyframesSent", keyframes)
                .put("answerErrors", answerErrors)
                .put("janusHangups", janus == null ? null : janus.hangups());
        return r;
    }

    static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }

    private static void sleepSeconds(double seconds) throws InterruptedException {
        Thread.sleep((long) (seconds * 1000));
    }

    /**
     * The one sending thread: audio every 20 ms and a video frame every 1/fps s per publisher, staggered, and
     * ICE consent checks from every participant every 2 s. It sends for the participants in its slots; the soak
     * swaps a slot's participant (or empties it) while it runs, which costs the thread no allocation.
     */
    static final class Sender {
        private final AtomicReferenceArray<Participant> slots;
        private final Scenario s;
        private final Thread thread;
        volatile boolean measured;
        private volatile boolean running = true;
        volatile long maxLateNanos;

        Sender(List<Participant> all, Scenario s) {
            this(new AtomicReferenceArray<>(all.toArray(new Participant[0])), s);
        }

        /** Sends for whoever is in {@code slots}, now and later (null: an empty slot). */
        Sender(AtomicReferenceArray<Participant> slots, Scenario s) {
            this.slots = slots;
            this.s = s;
            this.thread = new Thread(this::run, "loadgen-tx");
            thread.setDaemon(true);
        }

        static int packetsPerFrame(Scenario s) {
            double bytesPerFrame = s.videoBitrate() / 8.0 / s.fps();
            return (int) Math.max(1, Math.round(bytesPerFrame / 1100));
        }

        static int payload(Scenario s) {
            return (int) Math.min(1200, s.videoBitrate() / 8 / s.fps() / packetsPerFrame(s));
        }

        void start() {
            thread.start();
        }

        private void run() {
            int n = slots.length();
            long audioPeriod = 20_000_000L;
            long videoPeriod = 1_000_000_000L / s.fps();
            long consentPeriod = 2_000_000_000L;
            long now = System.nanoTime();
            long[] nextAudio = new long[n];
            long[] nextVideo = new long[n];
            for (int i = 0; i < n; i++) {
                nextAudio[i] = now + audioPeriod * i / Math.max(1, n);
                nextVideo[i] = now + videoPeriod * i / Math.max(1, n);
            }
            long nextConsent = now + consentPeriod;
            int packets = packetsPerFrame(s);
            int payload = payload(s);
            byte[] buf = new byte[2048];
            while (running) {
                now = System.nanoTime();
                long soonest = nextConsent;
                boolean m = measured;
                for (int i = 0; i < n; i++) {
                    Participant p = slots.get(i);
                    if (p == null || !p.publisher) {
                        continue;
                    }
                    if (nextAudio[i] <= now) {
                        maxLateNanos = Math.max(maxLateNanos, now - nextAudio[i]);
                        p.sendAudio(buf, m);
                        nextAudio[i] += audioPeriod;
                        if (nextAudio[i] < now - 200_000_000L) {
                            nextAudio[i] = now; // too far behind: skip rather than burst
                        }
                    }
                    if (nextVideo[i] <= now) {
                        maxLateNanos = Math.max(maxLateNanos, now - nextVideo[i]);
                        p.sendVideoFrame(buf, packets, payload, m);
                        nextVideo[i] += videoPeriod;
                        if (nextVideo[i] < now - 200_000_000L) {
                            nextVideo[i] = now;
                        }
                    }
                    soonest = Math.min(soonest, Math.min(nextAudio[i], nextVideo[i]));
                }
                if (now >= nextConsent) {
                    for (int i = 0; i < n && !s.plain(); i++) {
                        Participant p = slots.get(i);
                        if (p != null) {
                            p.consent();
                        }
                    }
                    nextConsent += consentPeriod;
                }
                long wait = soonest - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
            }
        }

        void stop() throws InterruptedException {
            running = false;
            thread.join(2000);
        }
    }

    static JsonArray array(List<JsonObject> rows) {
        JsonArray a = new JsonArray();
        rows.forEach(a::add);
        return a;
    }
}
