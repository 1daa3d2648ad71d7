package org.huisclos.media.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import org.huisclos.media.fuzz.FuzzStats;
import org.junit.jupiter.api.AfterAll;

/**
 * Jazzer target: a browser's SDP answer as the media node reads it (docs/reliability.md). The input, as
 * UTF-8 text, either fails with an {@link SdpException} (parse or answer checks) or parses, and then every
 * media-section accessor works and the answer's SSRCs are SSRCs: -1 (none) or 0..2^32-1, its codec one the
 * node offered for video, its fingerprint 32 hex bytes. Seeds: Chrome's and Firefox's answers.
 */
class SdpFuzzTargetTest {
    private static long executions;

    @FuzzTest
    void answer(byte[] data) {
        executions++;
        String text = new String(data, StandardCharsets.UTF_8);
        SessionDescription sdp;
        try {
            sdp = SessionDescription.parse(text);
        } catch (SdpException e) {
            assertNotNull(e.getMessage());
            return;
        }
        for (MediaSection m : sdp.media()) {
            assertNotNull(m.kind());
            m.rejected();
            m.mid();
            m.direction();
            for (int pt : m.formats()) {
                m.codecOf(pt);
            }
            m.fidGroup();
            m.firstSsrc();
            m.attributes("ssrc");
            if (m.mid() != null) {
                assertTrue(sdp.mediaByMid(m.mid()) != null);
            }
        }
        sdp.sessionAttribute("group");
        sdp.attribute("ice-ufrag");
        PublisherAnswer answer;
        try {
            answer = PublisherAnswer.parse(sdp);
        } catch (SdpException e) {
            assertNotNull(e.getMessage());
            return;
        }
        assertNotNull(answer.iceUfrag());
        assertNotNull(answer.icePwd());
        assertEquals(95, answer.fingerprint().length());
        ssrc(answer.audioSsrc());
        ssrc(answer.videoSsrc());
        ssrc(answer.videoRtxSsrc());
        if (answer.videoSsrc() != -1) {
            assertNotNull(answer.videoCodec());
            assertEquals("video", answer.videoCodec().kind());
        }
    }

    private static void ssrc(long value) {
        assertTrue(value >= -1 && value <= 0xFFFF_FFFFL, "not an SSRC: " + value);
    }

    @AfterAll
    static void report() throws Exception {
        FuzzStats.write(SdpFuzzTargetTest.class, executions);
    }
}
