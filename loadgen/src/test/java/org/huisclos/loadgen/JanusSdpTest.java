package org.huisclos.loadgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.List;
import org.huisclos.media.dtls.DtlsRole;
import org.huisclos.media.sdp.MediaSection;
import org.huisclos.media.sdp.SessionDescription;
import org.junit.jupiter.api.Test;

/** The publisher's offer read back with media-node's SDP parser, and Janus' answer as Janus 1.1.2 wrote it. */
class JanusSdpTest {
    private static final String FINGERPRINT = "7C:50:C1:0A:9E:BA:FC:A0:F9:F2:9B:63:63:F8:C4:68:8D:A3:1C:28:23:2E:01:70:"
            + "5E:87:A1:B4:B2:6C:2E:FA";

    /** Janus 1.1.2's answer to a publish offer (ICE-lite, bench namespace), trimmed of nothing. */
    private static final String JANUS_ANSWER = String.join("\r\n",
            "v=0", "o=- 1 1 IN IP4 127.0.0.1", "s=VideoRoom 1000", "t=0 0", "a=group:BUNDLE a v",
            "a=ice-options:trickle", "a=fingerprint:sha-256 " + FINGERPRINT, "a=extmap-allow-mixed",
            "a=msid-semantic: WMS *", "a=ice-lite",
            "m=audio 9 UDP/TLS/RTP/SAVPF 111", "c=IN IP4 127.0.0.1", "a=recvonly", "a=mid:a", "a=rtcp-mux",
            "a=ice-ufrag:gqUK", "a=ice-pwd:3e8NasWfds/GZFyFu217Wt", "a=ice-options:trickle", "a=setup:active",
            "a=rtpmap:111 opus/48000/2", "a=msid:janus janusa", "a=ssrc:3517153715 cname:janus",
            "a=candidate:1 1 udp 2015363327 127.0.0.1 37421 typ host", "a=end-of-candidates",
            "m=video 9 UDP/TLS/RTP/SAVPF 96", "c=IN IP4 127.0.0.1", "a=recvonly", "a=mid:v", "a=rtcp-mux",
            "a=ice-ufrag:gqUK", "a=ice-pwd:3e8NasWfds/GZFyFu217Wt", "a=ice-options:trickle", "a=setup:active",
            "a=rtpmap:96 VP8/90000", "a=rtcp-fb:96 nack", "a=rtcp-fb:96 nack pli", "a=msid:janus janusv",
            "a=ssrc:3182359664 cname:janus", "a=candidate:1 1 udp 2015363327 127.0.0.1 37421 typ host",
            "a=end-of-candidates", "");

    @Test
    void thePublishOfferIsSendonlyActpassOpusAndVp8WithOurCandidate() throws Exception {
        String sdp = JanusSdp.publishOffer("ufrag123", "pwd4567890123456789012345", FINGERPRINT, "p0-abc", 0x80000001,
                42, 50_000);
        SessionDescription offer = SessionDescription.parse(sdp);

        List<MediaSection> m = offer.media();
        assertEquals(2, m.size());
        assertEquals(List.of("audio", "video"), m.stream().map(MediaSection::kind).toList());
        assertEquals(List.of("a", "v"), m.stream().map(MediaSection::mid).toList());
        for (MediaSection s : m) {
            assertEquals("sendonly", s.direction());
            assertEquals("actpass", s.attribute("setup"));
            assertEquals("ufrag123", s.attribute("ice-ufrag"));
            assertEquals("sha-256 " + FINGERPRINT, s.attribute("fingerprint"));
            assertEquals("1 1 udp 2130706431 127.0.0.1 50000 typ host", s.attribute("candidate"));
        }
        assertEquals("opus", m.get(0).codecOf(111).toLowerCase());
        assertEquals("vp8", m.get(1).codecOf(96).toLowerCase());
        assertEquals(0x80000001L, m.get(0).firstSsrc(), "SSRCs are written unsigned");
        assertEquals(42L, m.get(1).firstSsrc());
        assertTrue(sdp.contains("a=group:BUNDLE a v\r\n"));
    }

    @Test
    void janusAnsweringActiveMakesUsTheDtlsServerAndItsCandidateTheRemote() throws Exception {
        SessionDescription answer = SessionDescription.parse(JANUS_ANSWER);

        Participant.Remote remote = JanusSdp.remote(answer);

        assertEquals(new InetSocketAddress("127.0.0.1", 37421), remote.address());
        assertEquals("gqUK", remote.ufrag());
        assertEquals("3e8NasWfds/GZFyFu217Wt", remote.pwd());
        assertEquals("sha-256 " + FINGERPRINT, remote.fingerprint());
        assertEquals(DtlsRole.SERVER, JanusSdp.ourRole(answer));
        assertEquals(DtlsRole.CLIENT, JanusSdp.ourRole(SessionDescription.parse(
                JANUS_ANSWER.replace("a=setup:active", "a=setup:passive"))));
        assertThrows(IllegalStateException.class, () -> JanusSdp.ourRole(SessionDescription.parse(
                JANUS_ANSWER.replace("a=setup:active", "a=setup:actpass"))));
    }

    @Test
    void anSdpWithoutACandidateIsRefusedWithAHint() throws Exception {
        SessionDescription noCandidate = SessionDescription.parse(JANUS_ANSWER
                .replace("a=candidate:1 1 udp 2015363327 127.0.0.1 37421 typ host\r\n", ""));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> JanusSdp.remote(noCandidate));
        assertTrue(e.getMessage().contains("ice_enforce_list"), e.getMessage());
    }

    @Test
    void ourAnswerGetsOurCandidateInEveryMediaSection() throws Exception {
        String answer = JanusSdp.withCandidate(JANUS_ANSWER, 40_000);
        for (MediaSection s : SessionDescription.parse(answer).media()) {
            assertTrue(s.attributes("candidate").contains("1 1 udp 2130706431 127.0.0.1 40000 typ host"), answer);
        }
    }
}
