package org.huisclos.media.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.huisclos.media.rtp.RtpPacket;
import org.junit.jupiter.api.Test;

/** One continuous stream out of simulcast layers: switches at key frames only, numbers that continue. */
class RewrittenStreamTest {
    private static final int CLOCK = 90_000;
    private final byte[] packet = new byte[12];

    private byte[] rtp(int seq, long ts) {
        packet[0] = (byte) 0x80;
        RtpPacket.setSequenceNumber(packet, 0, seq);
        RtpPacket.setTimestamp(packet, 0, ts);
        return packet;
    }

    /** Admits and "sends" a packet as the forwarder does; returns its rewritten sequence number or -1. */
    private int forward(RewrittenStream r, int layer, int seq, long ts, boolean key, long now, int pic, int tl0) {
        if (!r.admit(layer, rtp(seq, ts), 0, key, now, pic, tl0)) {
            return -1;
        }
        int out = r.sequence(seq);
        r.sent(layer, seq, out, r.timestamp(ts), r.pictureId(pic), r.tl0PicIdx(tl0), now);
        return out;
    }

    @Test
    void waitsForAKeyFrameOfTheTargetLayerAndKeepsThePublishersNumbersAtFirst() {
        RewrittenStream r = new RewrittenStream(CLOCK, 2);
        assertEquals(-1, forward(r, 2, 100, 9000, false, 1, 5, 1), "a delta frame before any key frame is not forwarded");
        assertEquals(-1, forward(r, 0, 500, 1000, true, 1, 5, 1), "another layer's key frame is not the one wanted");
        assertTrue(r.awaitsKeyframe());
        assertEquals(101, forward(r, 2, 101, 12000, true, 2, 6, 2));
        assertEquals(102, forward(r, 2, 102, 12000, false, 2, 6, 2));
        assertFalse(r.awaitsKeyframe());
        assertEquals(2, r.current());
        assertEquals(0, r.switches());
    }

    @Test
    void aSwitchContinuesSequenceTimestampPictureIdAndTl0() {
        RewrittenStream r = new RewrittenStream(CLOCK, 2);
        long t0 = 1_000_000_000L;
        forward(r, 2, 1000, 50_000, true, t0, 300, 40);
        forward(r, 2, 1001, 53_000, false, t0 + 33_000_000L, 301, 40);
        r.target = 0;
        // the high layer goes on until the low layer's key frame
        assertEquals(1002, forward(r, 2, 1002, 56_000, false, t0 + 66_000_000L, 302, 41));
        assertEquals(-1, forward(r, 0, 7000, 900_000, false, t0 + 70_000_000L, 10, 200), "no switch at a delta frame");
        long at = t0 + 99_000_000L;
        assertEquals(1003, forward(r, 0, 7001, 903_000, true, at, 11, 201), "the switch continues the numbering");
        assertEquals(1, r.switches());
        assertEquals(-1, forward(r, 2, 1003, 59_000, false, at, 303, 41), "the old layer stops at the switch");
        // timestamps advance by the time that passed since the last packet sent (33 ms = 2970 ticks)
        assertEquals(56_000 + 2970, r.timestamp(903_000));
        assertEquals(303, r.pictureId(11));
        assertEquals(42, r.tl0PicIdx(201));
        assertEquals(1004, forward(r, 0, 7002, 906_000, false, at + 33_000_000L, 12, 201));
        assertEquals(56_000 + 2970 + 3000, r.timestamp(906_000));
        assertEquals(-1, forward(r, 0, 7000, 900_000, false, at, 10, 200),
                "a late packet from before the switching key frame would reuse the old layer's numbers");
    }

    @Test
    void numbersWrapAround() {
        RewrittenStream r = new RewrittenStream(CLOCK, 1);
        forward(r, 1, 65_535, 0xffff_ff00L, true, 1, 32_767, 255);
        r.target = 0;
        assertEquals(0, forward(r, 0, 10, 5, true, 2, 100, 7));
        assertEquals(0, r.pictureId(100), "15-bit picture ids wrap to 0");
        assertEquals(0, r.tl0PicIdx(7), "TL0PICIDX wraps to 0");
        assertEquals(1, forward(r, 0, 11, 3005, false, 3, 101, 7));
    }

    @Test
    void retransmissionsFindTheOriginalPacketAndItsOffsets() {
        RewrittenStream r = new RewrittenStream(CLOCK, 2);
        forward(r, 2, 1000, 50_000, true, 1, 300, 40);
        r.target = 0;
        forward(r, 0, 7001, 903_000, true, 33_000_000L, 11, 201);
        assertEquals(2 << 16 | 1000, r.original(1000));
        assertEquals(7001, r.original(1001) & 0xffff);
        assertEquals(0, r.original(1001) >>> 16);
        assertEquals(r.timestamp(903_000), r.timestampFor(1001, 903_000));
        assertEquals(50_000, r.timestampFor(1000, 50_000), "the first layer's offsets were 0");
        assertEquals(r.pictureId(11), r.pictureIdFor(1001, 11));
        assertEquals(r.tl0PicIdx(201), r.tl0For(1001, 201));
        assertEquals(-1, r.original(1002), "never sent");
        assertEquals(-1, r.original(1000 + RewrittenStream.HISTORY), "another packet's slot");
    }

    @Test
    void pausedForwardsNothingAndResumesAtAKeyFrame() {
        RewrittenStream r = new RewrittenStream(CLOCK, 1);
        forward(r, 1, 1, 100, true, 1, -1, -1);
        r.target = RewrittenStream.PAUSED;
        assertEquals(-1, forward(r, 1, 2, 100, false, 2, -1, -1));
        assertFalse(r.awaitsKeyframe(), "nothing is wanted while paused");
        r.target = 1;
        assertEquals(-1, forward(r, 1, 3, 3100, false, 3, -1, -1));
        assertEquals(2, forward(r, 1, 4, 6100, true, 100_000_000L, -1, -1), "resumes where it stopped");
    }
}
