package org.huisclos.media.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SdpTest {
    private static final OfferWriter.Transport TRANSPORT = new OfferWriter.Transport(42, "abcd1234",
            "pwdpwdpwdpwdpwdpwdpwdpwd", "AA:BB", "127.0.0.1", 10000, 0);

    /** The shape of Chrome's answer to our first offer: both publish lines sendonly, VP8 chosen, RTX grouped. */
    static final String CHROME_ANSWER = String.join("\r\n",
            "v=0",
            "o=- 4611731400430051336 2 IN IP4 127.0.0.1",
            "s=-",
            "t=0 0",
            "a=group:BUNDLE a v",
            "a=msid-semantic: WMS stream",
            "m=audio 9 UDP/TLS/RTP/SAVPF 111",
            "c=IN IP4 0.0.0.0",
            "a=rtcp:9 IN IP4 0.0.0.0",
            "a=ice-ufrag:Kq3f",
            "a=ice-pwd:0123456789abcdefghijklmn",
            "a=ice-options:trickle",
            "a=fingerprint:sha-256 12:34:56:78:9A:BC:DE:F0:12:34:56:78:9A:BC:DE:F0:12:34:56:78:9A:BC:DE:F0:12:34:56:78:9A:BC:DE:F0",
            "a=setup:active",
            "a=mid:a",
            "a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level",
            "a=sendonly",
            "a=msid:stream track-a",
            "a=rtcp-mux",
            "a=rtpmap:111 opus/48000/2",
            "a=fmtp:111 minptime=10;useinbandfec=1",
            "a=ssrc:1111 cname:xyz",
            "a=ssrc:1111 msid:stream track-a",
            "m=video 9 UDP/TLS/RTP/SAVPF 96 97 102 103",
            "c=IN IP4 0.0.0.0",
            "a=ice-ufrag:Kq3f",
            "a=ice-pwd:0123456789abcdefghijklmn",
            "a=fingerprint:sha-256 12:34:56:78:9A:BC:DE:F0:12:34:56:78:9A:BC:DE:F0:12:34:56:78:9A:BC:DE:F0:12:34:56:78:9A:BC:DE:F0",
            "a=setup:active",
            "a=mid:v",
            "a=sendonly",
            "a=rtcp-mux",
            "a=rtpmap:96 VP8/90000",
            "a=rtpmap:97 rtx/90000",
            "a=fmtp:97 apt=96",
            "a=rtpmap:102 H264/90000",
            "a=rtpmap:103 rtx/90000",
            "a=ssrc-group:FID 2222 3333",
            "a=ssrc:2222 cname:xyz",
            "a=ssrc:3333 cname:xyz",
            "") ;

    @Test
    void withAnIceTcpPortTheOfferAddsAPassiveTcpCandidateBelowUdp() throws SdpException {
        OfferWriter.Transport t = new OfferWriter.Transport(42, "abcd1234", "pwdpwdpwdpwdpwdpwdpwdpwd", "AA:BB",
                "127.0.0.1", 10000, 10001);
        String sdp = OfferWriter.write(t, 1, List.of(OfferedSection.receive("a", "audio", Codec.AUDIO)));
        // RFC 6544 §4.2: type preference 90 (< host UDP 126), local preference 2^13 x 4 (passive) + 8191.
        assertEquals(1520435199L, OfferWriter.TCP_PASSIVE_PRIORITY);
        assertTrue(sdp.contains("a=candidate:1 1 udp 2130706431 127.0.0.1 10000 typ host\r\n"
                + "a=candidate:2 1 tcp 1520435199 127.0.0.1 10001 typ host tcptype passive\r\n"
                + "a=end-of-candidates\r\n"), sdp);
        assertTrue(OfferWriter.TCP_PASSIVE_PRIORITY < OfferWriter.UDP_PRIORITY);
        assertTrue(!OfferWriter.write(TRANSPORT, 1, List.of(OfferedSection.receive("a", "audio", Codec.AUDIO)))
                .contains(" tcp "), "no TCP port: no TCP candidate");
        SessionDescription.parse(sdp);
    }

    @Test
    void firstOfferHasTwoReceiveOnlyLinesBundledOnOneIceLiteTransport() throws SdpException {
        String sdp = OfferWriter.write(TRANSPORT, 1, List.of(
                OfferedSection.receive("a", "audio", Codec.AUDIO),
                OfferedSection.receive("v", "video", Codec.VIDEO)));
        assertTrue(sdp.contains("a=group:BUNDLE a v\r\n"));
        assertTrue(sdp.contains("a=ice-lite\r\n"));
        assertTrue(sdp.contains("a=setup:actpass\r\n"));
        assertTrue(sdp.contains("m=video 10000 UDP/TLS/RTP/SAVPF 96 97 102 103\r\n"));
        assertTrue(sdp.contains("a=candidate:1 1 udp 2130706431 127.0.0.1 10000 typ host\r\n"));
        SessionDescription parsed = SessionDescription.parse(sdp);
        assertEquals(2, parsed.media().size());
        assertEquals("recvonly", parsed.mediaByMid("v").direction());
        assertEquals("VP8", parsed.mediaByMid("v").codecOf(96));
        assertEquals("rtx", parsed.mediaByMid("v").codecOf(97));
    }

    @Test
    void sendOnlyLinesNameTheSsrcsAndMsidOfThePublisher() throws SdpException {
        String sdp = OfferWriter.write(TRANSPORT, 2, List.of(
                OfferedSection.receive("a", "audio", Codec.AUDIO),
                OfferedSection.receive("v", "video", Codec.VIDEO),
                OfferedSection.send("s0", "video", Codec.VP8, 2222, 3333, "pabc", "pabc-video", false),
                OfferedSection.send("s1", "audio", Codec.OPUS, 1111, -1, "pabc", "pabc-audio", false).inactive()));
        SessionDescription parsed = SessionDescription.parse(sdp);
        MediaSection s0 = parsed.mediaByMid("s0");
        assertEquals("sendonly", s0.direction());
        assertEquals(List.of(96, 97), s0.formats());
        assertEquals(2222, s0.fidGroup()[0]);
        assertEquals(3333, s0.fidGroup()[1]);
        assertTrue(s0.attributes("ssrc").contains("2222 msid:pabc pabc-video"));
        MediaSection s1 = parsed.mediaByMid("s1");
        assertEquals("inactive", s1.direction());
        assertEquals(-1, s1.firstSsrc(), "an inactive line announces no SSRC");
    }

    @Test
    void readsThePublisherSideOfChromesAnswer() throws SdpException {
        PublisherAnswer a = PublisherAnswer.parse(SessionDescription.parse(CHROME_ANSWER));
        assertEquals("Kq3f", a.iceUfrag());
        assertEquals("0123456789abcdefghijklmn", a.icePwd());
        assertTrue(a.fingerprint().startsWith("12:34:56"));
        assertEquals(1111, a.audioSsrc());
        assertEquals(2222, a.videoSsrc());
        assertEquals(3333, a.videoRtxSsrc());
        assertEquals(Codec.VP8, a.videoCodec());
    }

    @Test
    void answerThatPicksH264FirstPublishesH264() throws SdpException {
        String h264First = CHROME_ANSWER.replace("m=video 9 UDP/TLS/RTP/SAVPF 96 97 102 103", "m=video 9 UDP/TLS/RTP/SAVPF 102 103 96 97");
        assertEquals(Codec.H264, PublisherAnswer.parse(SessionDescription.parse(h264First)).videoCodec());
    }

    @Test
    void badAnswersAreRefusedWithAReason() {
        assertEquals("empty SDP", assertThrows(SdpException.class, () -> SessionDescription.parse("")).getMessage());
        assertThrows(SdpException.class, () -> SessionDescription.parse("hello"));
        assertThrows(SdpException.class, () -> SessionDescription.parse("v=0\r\nm=audio x UDP 1"));
        assertThrows(SdpException.class, () -> PublisherAnswer.parse(SessionDescription.parse(
                CHROME_ANSWER.replace("a=fingerprint:sha-256", "a=fingerprint:sha-1"))));
        assertThrows(SdpException.class, () -> PublisherAnswer.parse(SessionDescription.parse(
                CHROME_ANSWER.replace("a=setup:active", "a=setup:passive"))));
        assertThrows(SdpException.class, () -> PublisherAnswer.parse(SessionDescription.parse(
                CHROME_ANSWER.replace("a=ice-ufrag:Kq3f\r\n", ""))));
        assertThrows(SdpException.class, () -> SessionDescription.parse("v=0\r\n" + "a=x\r\n".repeat(60_000)));
    }
}
