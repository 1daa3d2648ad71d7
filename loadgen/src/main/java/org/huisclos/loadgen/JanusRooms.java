package org.huisclos.loadgen;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.huisclos.media.dtls.DtlsCertificate;
import org.huisclos.media.dtls.DtlsRole;
import org.huisclos.media.peer.AnswerBuilder;
import org.huisclos.media.peer.Offer;
import org.huisclos.media.sdp.SessionDescription;
import org.huisclos.media.srtp.SrtpProfile;

/**
 * A scenario's people in Janus' VideoRoom. In Janus a publisher's own media and what it receives are separate
 * peer connections (plugin handles), so each publisher is two legs: one publishing (join as publisher, then
 * publish with our offer; Janus answers) and one receiving the room's other publishers (join as subscriber to
 * their feeds; Janus offers, we answer and start). A receive-only subscriber is one receiving leg. Publishers
 * join first, room by room, so that every feed exists when the subscriptions are made.
 */
final class JanusRooms {
    private final JanusSignaling api;
    private final Map<Integer, Long> feedOfPerson = new HashMap<>();

    JanusRooms(JanusSignaling api) {
        this.api = api;
    }

    /** The legs of {@code s}: per room, each publisher's publishing and receiving leg, then the subscribers. */
    static List<Participant> legs(Generator.Scenario s) throws IOException {
        List<Participant> legs = new ArrayList<>();
        int n = 0;
        for (int r = 0; r < s.rooms(); r++) {
            String room = Generator.roomName(r);
            for (int i = 0; i < s.publishers(); i++) {
                int person = n;
                legs.add(new Participant(n++, person, room, true, false, false));
                if (s.publishers() > 1) {
                    legs.add(new Participant(n++, person, room, false, true, false));
                }
            }
            for (int i = 0; i < s.subscribers(); i++) {
                legs.add(new Participant(n, n, room, false, true, false));
                n++;
            }
        }
        return legs;
    }

    /** Joins every leg, publishing ones first; {@code joinMillis} gets attach → SRTP keys of each leg. */
    void join(List<Participant> legs, DtlsCertificate certificate, SrtpProfile profile, ExecutorService dtlsPool,
              Histogram joinMillis, long timeoutMillis) throws Exception {
        for (Participant p : legs) {
            if (p.publisher) {
                long start = System.nanoTime();
                publish(p, certificate, profile, dtlsPool, start + TimeUnit.MILLISECONDS.toNanos(timeoutMillis));
                record(p, start, joinMillis);
            }
        }
        for (Participant p : legs) {
            if (p.receives) {
                long start = System.nanoTime();
                subscribe(p, legs, certificate, profile, dtlsPool,
                        start + TimeUnit.MILLISECONDS.toNanos(timeoutMillis));
                record(p, start, joinMillis);
            }
        }
    }

    private static void record(Participant p, long start, Histogram joinMillis) {
        p.joinMillis = (System.nanoTime() - start) / 1_000_000;
        joinMillis.recordValue(p.joinMillis);
    }

    private void publish(Participant p, DtlsCertificate certificate, SrtpProfile profile, ExecutorService dtlsPool,
                         long deadline) throws Exception {
        long handle = api.attach();
        JsonObject joined = api.message(handle, new JsonObject().put("request", "join").put("ptype", "publisher")
                .put("room", roomId(p.room)), null);
        feedOfPerson.put(p.person, joined.getLong("id"));
        String offer = JanusSdp.publishOffer(p.ufrag(), p.pwd(), certificate.fingerprint(), p.id, p.audioSsrc(),
                p.videoSsrc(), p.port());
        JsonObject configured = api.message(handle, new JsonObject().put("request", "publish").put("audio", true)
                .put("video", true), jsep("offer", offer));
        SessionDescription answer = JanusSdp.parse(jsepSdp(configured, "publish"));
        p.connect(JanusSdp.remote(answer), JanusSdp.ourRole(answer), true, certificate, profile, dtlsPool, deadline);
    }

    private void subscribe(Participant p, List<Participant> legs, DtlsCertificate certificate, SrtpProfile profile,
                           ExecutorService dtlsPool, long deadline) throws Exception {
        JsonArray streams = new JsonArray();
        for (Participant q : legs) {
            if (q.publisher && q.person != p.person && q.room.equals(p.room)) {
                streams.add(new JsonObject().put("feed", feedOfPerson.get(q.person)));
            }
        }
        long handle = api.attach();
        JsonObject attached = api.message(handle, new JsonObject().put("request", "join").put("ptype", "subscriber")
                .put("room", roomId(p.room)).put("streams", streams), null);
        String sdp = jsepSdp(attached, "subscribe");
        SessionDescription offer = JanusSdp.parse(sdp);
        AnswerBuilder answers = new AnswerBuilder(p.ufrag(), p.pwd(), certificate.fingerprint(), p.id, p.audioSsrc(),
                p.videoSsrc(), p.videoSsrc() + 1);
        String answer = JanusSdp.withCandidate(answers.answer(new Offer(1, sdp, List.of(), offer)), p.port());
        api.message(handle, new JsonObject().put("request", "start"), jsep("answer", answer));
        // Our answer says a=setup:active: we are the DTLS client.
        p.connect(JanusSdp.remote(offer), DtlsRole.CLIENT, true, certificate, profile, dtlsPool, deadline);
    }

    private static JsonObject jsep(String type, String sdp) {
        return new JsonObject().put("type", type).put("sdp", sdp).put("trickle", false);
    }

    private static String jsepSdp(JsonObject event, String what) {
        JsonObject jsep = event.getJsonObject("jsep");
        if (jsep == null || jsep.getString("sdp") == null) {
            throw new IllegalStateException("Janus sent no SDP for " + what + ": " + event.encode());
        }
        return jsep.getString("sdp");
    }

    static long roomId(String roomName) {
        return JanusConfig.roomId(Generator.roomIndex(roomName));
    }
}
