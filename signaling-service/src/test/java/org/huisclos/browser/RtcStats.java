package org.huisclos.browser;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;

/**
 * Snapshots of {@code RTCPeerConnection.getStats()} taken in a browser, as plain Java values.
 * The page's stats are serialised to JSON in one async script so that one snapshot is
 * consistent and costs one WebDriver round trip.
 */
public final class RtcStats {

    /** One inbound-rtp entry. framesDecoded and keyFramesDecoded are 0 for audio. */
    public record Inbound(String kind, long ssrc, String mid, String trackIdentifier,
                          long packetsReceived, long bytesReceived,
                          long framesDecoded, long keyFramesDecoded) {
    }

    /** One outbound-rtp entry. */
    public record Outbound(String kind, long ssrc, String mid, long packetsSent) {
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
     * The Huisclos page's inbound media by sender: getStats() of {@code window.huisclos.pc}, each
     * inbound-rtp entry attributed through the offers' mid → participant map
     * ({@code window.huisclos.tracks}). Empty when the page has no peer connection.
     */
    public static Map<String, FromParticipant> byParticipant(BrowserParticipant page) {
        Map<String, FromParticipant> out = new HashMap<>();
        if (page.js("return window.huisclos.pc") == null) {
            return out;
        }
        Snapshot stats = snapshot(page, "window.huisclos.pc");
        JsonObject tracks = new JsonObject((String) page.js("return JSON.stringify(window.huisclos.tracks || {})"));
        for (Inbound in : stats.inbound()) {
            JsonObject track = in.mid() == null ? null : tracks.getJsonObject(in.mid());
            if (track != null) {
                out.compute(track.getString("participant"), (id, sum) -> (sum == null ? FromParticipant.NONE : sum).plus(in));
            }
        }
        return out;
    }

    /**
     * Waits until the page decodes video and receives audio from each of {@code others}, both rising
     * between two looks (so media flows now, not only once). On timeout the error says what was seen
     * last per sender, the offered tracks and the page's errors.
     */
    public static void awaitMediaFrom(BrowserParticipant page, java.util.Collection<String> others,
                                      java.time.Duration deadline) {
        Map<String, FromParticipant> first = new HashMap<>();
        Map<String, FromParticipant> last = new HashMap<>();
        try {
            page.waitUntil(page.name() + " decodes video and receives audio from " + others, deadline, () -> {
                Map<String, FromParticipant> now = byParticipant(page);
                last.clear();
                last.putAll(now);
                boolean all = true;
                for (String other : others) {
                    FromParticipant m = now.get(other);
                    if (m == null || m.framesDecoded() == 0 || m.audioPackets() == 0) {
                        all = false;
                        continue;
                    }
                    FromParticipant before = first.putIfAbsent(other, m);
                    if (before == null || m.framesDecoded() <= before.framesDecoded()
                            || m.audioPackets() <= before.audioPackets()) {
                        all = false;
                    }
                }
                return all;
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; last seen per sender: " + last + "; offered tracks: "
                    + page.js("return JSON.stringify(window.huisclos.tracks || {})") + "; page errors: "
                    + page.js("return JSON.stringify(window.huisclos.errors || [])"), e);
        }
    }

    /** {@link #byParticipant} for one sender; zeros when nothing of it arrives. */
    public static FromParticipant from(BrowserParticipant page, String participant) {
        return byParticipant(page).getOrDefault(participant, FromParticipant.NONE);
    }

    // Keep only the fields we read: the full report is large and mostly noise.
    private static final String SCRIPT_TEMPLATE = """
            (async () => {
              const pc = (%s);
              if (!pc) throw new Error('no RTCPeerConnection at: ' + %s);
              const inbound = [], outbound = [];
              (await pc.getStats()).forEach(s => {
                if (s.type === 'inbound-rtp') {
                  inbound.push({kind: s.kind, ssrc: s.ssrc, mid: s.mid ?? null,
                    trackIdentifier: s.trackIdentifier ?? null,
                    packetsReceived: s.packetsReceived ?? 0, bytesReceived: s.bytesReceived ?? 0,
                    framesDecoded: s.framesDecoded ?? 0, keyFramesDecoded: s.keyFramesDecoded ?? 0});
                } else if (s.type === 'outbound-rtp') {
                  outbound.push({kind: s.kind, ssrc: s.ssrc, mid: s.mid ?? null,
                    packetsSent: s.packetsSent ?? 0});
                }
              });
              return JSON.stringify({inbound, outbound});
            })()""";

    private RtcStats() {
    }

    /** @param pcExpression JS expression yielding the RTCPeerConnection, e.g. "window.huisclos.pc" */
    public static Snapshot snapshot(BrowserParticipant participant, String pcExpression) {
        // The expression is also quoted as a JSON string literal for the error message.
        String script = SCRIPT_TEMPLATE.formatted(pcExpression, Json.encode(pcExpression));
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
                    s.getLong("keyFramesDecoded")));
        }
        List<Outbound> out = new ArrayList<>();
        for (Object o : root.getJsonArray("outbound")) {
            JsonObject s = (JsonObject) o;
            out.add(new Outbound(s.getString("kind"), s.getLong("ssrc"), s.getString("mid"),
                    s.getLong("packetsSent")));
        }
        return new Snapshot(List.copyOf(in), List.copyOf(out));
    }
}
