package org.huisclos.browser;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;

/**
 * Snapshots of {@code RTCPeerConnection.getStats()} taken in a browser, as plain Java values.
 * The page's stats are serialised to JSON in one async script so that one snapshot is
 * consistent and costs one WebDriver round trip.
 */
public final class RtcStats {

    /**
     * One inbound-rtp entry. framesDecoded, keyFramesDecoded and the frame size are 0 for audio (and the
     * size before a frame was decoded); the freeze figures are Chromium's (0 where a browser has none).
     */
    public record Inbound(String kind, long ssrc, String mid, String trackIdentifier,
                          long packetsReceived, long bytesReceived,
                          long framesDecoded, long keyFramesDecoded,
                          long frameWidth, long frameHeight, long freezeCount, double totalFreezesDuration) {
    }

    /** One outbound-rtp entry; rid is null without simulcast, the frame size 0 for audio or a layer not sent. */
    public record Outbound(String kind, long ssrc, String mid, long packetsSent, String rid, long bytesSent,
                           long frameWidth, long frameHeight) {
    }

    public record Snapshot(List<Inbound> inbound, List<Outbound> outbound) {

        public List<Inbound> inbound(String kind) {
            return inbound.stream().filter(i -> kind.equals(i.kind())).toList();
        }

        public long framesDecoded() {
            return inbound.stream().mapToLong(Inbound::framesDecoded).sum();
        }

        public long packetsReceived() {
            return inbound.stream().mapToLong(Inbound::packetsReceived).sum();
        }

        public long packetsSent() {
            return outbound.stream().mapToLong(Outbound::packetsSent).sum();
        }
    }

    /** What a page receives from one other participant: summed over that participant's m-lines. */
    public record FromParticipant(long framesDecoded, long videoPackets, long audioPackets) {
        static final FromParticipant NONE = new FromParticipant(0, 0, 0);

        FromParticipant plus(Inbound in) {
            return in.kind().equals("video")
                    ? new FromParticipant(framesDecoded + in.framesDecoded(), videoPackets + in.packetsReceived(), audioPackets)
                    : new FromParticipant(framesDecoded, videoPackets, audioPackets + in.packetsReceived());
        }
    }

    /**
     * The SSRCs {@code sender}'s page sends from, read from its own outbound-rtp stats (empty before
     * it has a peer connection). The media node forwards packets with their SSRCs unchanged (a simulcast
     * video under the SSRC of one of its layers), so these are the SSRCs its media has at every receiver:
     * attribution needs nothing the server says.
     */
    public static Set<Long> sendingSsrcs(BrowserParticipant sender) {
        Set<Long> out = new HashSet<>();
        for (Outbound o : pageSnapshot(sender).outbound()) {
            out.add(o.ssrc());
        }
        return out;
    }

    /** What {@code page} receives from {@code sender}: its inbound-rtp entries of the sender's SSRCs, summed. */
    public static FromParticipant from(BrowserParticipant page, BrowserParticipant sender) {
        return from(page, sendingSsrcs(sender));
    }

    /** What {@code page} receives of the SSRCs {@code senderSsrcs} (e.g. read from a sender before it left), summed. */
    public static FromParticipant from(BrowserParticipant page, Set<Long> senderSsrcs) {
        FromParticipant sum = FromParticipant.NONE;
        if (senderSsrcs.isEmpty()) {
            return sum;
        }
        for (Inbound in : pageSnapshot(page).inbound()) {
            if (senderSsrcs.contains(in.ssrc())) {
                sum = sum.plus(in);
            }
        }
        return sum;
    }

    /**
     * Waits until {@code page} decodes video and receives audio from each of {@code senders},
     * attributed by the senders' own SSRCs, both rising between two looks (so media flows now, not
     * only once). The senders' SSRCs are read again at every look: a participant placed on another
     * media node sends from new ones. On timeout the error says what was seen last per sender and
     * the page's errors.
     */
    public static void awaitMediaFrom(BrowserParticipant page, Collection<BrowserParticipant> senders,
                                      Duration deadline) {
        Map<BrowserParticipant, FromParticipant> first = new HashMap<>();
        Map<String, Object> last = new LinkedHashMap<>();
        try {
            page.waitUntil(page.name() + " decodes video and receives audio from " + senders, deadline, () -> {
                boolean all = true;
                for (BrowserParticipant sender : senders) {
                    Set<Long> ssrcs = sendingSsrcs(sender);
                    FromParticipant m = from(page, ssrcs);
                    last.put(sender.name(), ssrcs + "=" + m);
                    if (m.framesDecoded() == 0 || m.audioPackets() == 0) {
                        all = false;
                        continue;
                    }
                    FromParticipant before = first.putIfAbsent(sender, m);
                    if (before == null || m.framesDecoded() <= before.framesDecoded()
                            || m.audioPackets() <= before.audioPackets()) {
                        all = false;
                    }
                }
                return all;
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; last seen per sender (its SSRCs=received): " + last
                    + "; page errors: " + page.js("return JSON.stringify(window.huisclos.errors || [])"), e);
        }
    }

    // Keep only the fields we read: the full report is large and mostly noise.
    private static final String SCRIPT_TEMPLATE = """
            (async () => {
              const pc = (%s);
              if ((!pc || pc.signalingState === 'closed') && %s) return JSON.stringify({inbound: [], outbound: []});
              if (!pc) throw new Error('no RTCPeerConnection at: ' + %s);
              const inbound = [], outbound = [];
              (await pc.getStats()).forEach(s => {
                if (s.type === 'inbound-rtp') {
                  inbound.push({kind: s.kind, ssrc: s.ssrc, mid: s.mid ?? null,
                    trackIdentifier: s.trackIdentifier ?? null,
                    packetsReceived: s.packetsReceived ?? 0, bytesReceived: s.bytesReceived ?? 0,
                    framesDecoded: s.framesDecoded ?? 0, keyFramesDecoded: s.keyFramesDecoded ?? 0,
                    frameWidth: s.frameWidth ?? 0, frameHeight: s.frameHeight ?? 0,
                    freezeCount: s.freezeCount ?? 0, totalFreezesDuration: s.totalFreezesDuration ?? 0});
                } else if (s.type === 'outbound-rtp') {
                  outbound.push({kind: s.kind, ssrc: s.ssrc, mid: s.mid ?? null,
                    packetsSent: s.packetsSent ?? 0, rid: s.rid ?? null, bytesSent: s.bytesSent ?? 0,
                    frameWidth: s.frameWidth ?? 0, frameHeight: s.frameHeight ?? 0});
                }
              });
              return JSON.stringify({inbound, outbound});
            })()""";

    private RtcStats() {
    }

    /** @param pcExpression JS expression yielding the RTCPeerConnection, e.g. "window.huisclos.pc" */
    public static Snapshot snapshot(BrowserParticipant participant, String pcExpression) {
        return snapshot(participant, pcExpression, false);
    }

    /**
     * The Huisclos page's peer connection, or nothing when it has none at this moment (before
     * joining, after leaving, between two peer connections while it is moved): checked in the same
     * script that reads the stats, so a page that drops its peer connection between two looks reads
     * as empty, not as an error.
     */
    static Snapshot pageSnapshot(BrowserParticipant page) {
        return snapshot(page, "window.huisclos && window.huisclos.pc", true);
    }

    private static Snapshot snapshot(BrowserParticipant participant, String pcExpression, boolean optional) {
        // The expression is also quoted as a JSON string literal for the error message.
        String script = SCRIPT_TEMPLATE.formatted(pcExpression, optional, Json.encode(pcExpression));
        Object json = participant.jsAsync(script);
        return parse(String.valueOf(json));
    }

    static Snapshot parse(String json) {
        JsonObject root = new JsonObject(json);
        List<Inbound> in = new ArrayList<>();
        for (Object o : root.getJsonArray("inbound")) {
            JsonObject s = (JsonObject) o;
            in.add(new Inbound(s.getString("kind"), s.getLong("ssrc"), s.getString("mid"),
                    s.getString("trackIdentifier"), s.getLong("packetsReceived"),
                    s.getLong("bytesReceived"), s.getLong("framesDecoded"),
                    s.getLong("keyFramesDecoded"), s.getLong("frameWidth"), s.getLong("frameHeight"),
                    s.getLong("freezeCount"), s.getDouble("totalFreezesDuration")));
        }
        List<Outbound> out = new ArrayList<>();
        for (Object o : root.getJsonArray("outbound")) {
            JsonObject s = (JsonObject) o;
            out.add(new Outbound(s.getString("kind"), s.getLong("ssrc"), s.getString("mid"),
                    s.getLong("packetsSent"), s.getString("rid"), s.getLong("bytesSent"), s.getLong("frameWidth"),
                    s.getLong("frameHeight")));
        }
        return new Snapshot(List.copyOf(in), List.copyOf(out));
    }
}
