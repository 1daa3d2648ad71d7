package org.huisclos.media.srtp;

import static org.huisclos.media.srtp.SrtpContext.ERR_AUTH;
import static org.huisclos.media.srtp.SrtpContext.ERR_MALFORMED;
import static org.huisclos.media.srtp.SrtpContext.ERR_REPLAY;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.huisclos.media.bytes.Bytes;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Behaviour shared by both profiles (RFC 3711 §3.3, RFC 7714 §8-9): round trips, tampering, replay, ROC. */
class SrtpContextTest {
    private static final int SSRC = 0x12345678;

    private static SrtpContext context(SrtpProfile profile) {
        byte[] key = new byte[profile.keyLength];
        byte[] salt = new byte[profile.saltLength];
        for (int i = 0; i < key.length; i++) {
            key[i] = (byte) (3 * i + 1);
        }
        for (int i = 0; i < salt.length; i++) {
            salt[i] = (byte) (0xa0 + i);
        }
        return new SrtpContext(profile, key, salt);
    }

    /** RTP packet with room for any trailer; the payload bytes depend on seq so packets differ. */
    static byte[] rtp(int seq, int ssrc, int payloadLength) {
        byte[] p = new byte[12 + payloadLength + 32];
        p[0] = (byte) 0x80;
        p[1] = 96;
        p[2] = (byte) (seq >>> 8);
        p[3] = (byte) seq;
        Bytes.put32(p, 4, seq * 960);
        Bytes.put32(p, 8, ssrc);
        for (int i = 0; i < payloadLength; i++) {
            p[12 + i] = (byte) (seq + 7 * i);
        }
        return p;
    }

    private static final class Sent {
        final byte[] plain;
        final byte[] wire;
        final int plainLength;
        final int wireLength;

        Sent(byte[] plain, int plainLength, byte[] wire, int wireLength) {
            this.plain = plain;
            this.plainLength = plainLength;
            this.wire = wire;
            this.wireLength = wireLength;
        }

        /** A fresh copy, since unprotect works in place. */
        byte[] copy() {
            return wire.clone();
        }
    }

    private static Sent send(SrtpContext sender, byte[] plain, int plainLength) {
        byte[] wire = plain.clone();
        int len = sender.protectRtp(wire, 0, plainLength);
        assertEquals(plainLength + sender.profile().tagLength, len);
        return new Sent(plain, plainLength, wire, len);
    }

    private static void assertDelivers(SrtpContext receiver, Sent s) {
        byte[] buf = s.copy();
        assertEquals(s.plainLength, receiver.unprotectRtp(buf, 0, s.wireLength));
        assertArrayEquals(Arrays.copyOf(s.plain, s.plainLength), Arrays.copyOf(buf, s.plainLength));
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void roundTripForPayloadSizes(SrtpProfile profile) {
        SrtpContext sender = context(profile);
        SrtpContext receiver = context(profile);
        int seq = 100;
        for (int size : new int[] {0, 1, 15, 16, 17, 160, 1200, 1500, 3000}) {
            Sent s = send(sender, rtp(seq++, SSRC, size), 12 + size);
            if (size >= 16) {
                assertFalse(Arrays.equals(Arrays.copyOfRange(s.plain, 12, 28), Arrays.copyOfRange(s.wire, 12, 28)),
                        "payload is encrypted");
            }
            assertDelivers(receiver, s);
        }
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void tamperedPayloadHeaderOrTagFailsAndChangesNothing(SrtpProfile profile) {
        SrtpContext sender = context(profile);
        SrtpContext receiver = context(profile);
        Sent s = send(sender, rtp(5, SSRC, 100), 112);
        for (int position : new int[] {1, 3, 4, 11, 12, 60, s.wireLength - 1, s.wireLength - profile.tagLength}) {
            byte[] buf = s.copy();
            buf[position] ^= 0x10;
            byte[] before = buf.clone();
            assertEquals(ERR_AUTH, receiver.unprotectRtp(buf, 0, s.wireLength), "flip at " + position);
            assertArrayEquals(before, buf, "failed packet left untouched");
        }
        assertEquals(0, receiver.ssrcCount(), "no state for an SSRC that never authenticated");
        assertDelivers(receiver, s);
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void forgedPacketDoesNotMoveReplayOrRocState(SrtpProfile profile) {
        SrtpContext sender = context(profile);
        SrtpContext receiver = context(profile);
        assertDelivers(receiver, send(sender, rtp(1000, SSRC, 50), 62));
        // A forgery far ahead would push the window (and a wrap guess) if state moved before authentication.
        byte[] forged = send(context(profile), rtp(1000 + 30000, SSRC, 50), 62).copy();
        forged[20] ^= 1;
        assertEquals(ERR_AUTH, receiver.unprotectRtp(forged, 0, 62 + profile.tagLength));
        assertDelivers(receiver, send(sender, rtp(1001, SSRC, 50), 62));
        assertDelivers(receiver, send(sender, rtp(999, SSRC, 50), 62));
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void replayedPacketIsRejected(SrtpProfile profile) {
        SrtpContext sender = context(profile);
        SrtpContext receiver = context(profile);
        Sent s = send(sender, rtp(42, SSRC, 20), 32);
        assertDelivers(receiver, s);
        assertEquals(ERR_REPLAY, receiver.unprotectRtp(s.copy(), 0, s.wireLength));
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void packetOutsideTheWindowIsTooOld(SrtpProfile profile) {
        SrtpContext sender = context(profile);
        SrtpContext receiver = context(profile);
        List<Sent> sent = new ArrayList<>();
        for (int seq = 1000; seq <= 1000 + SrtpContext.REPLAY_WINDOW; seq++) {
            sent.add(send(sender, rtp(seq, SSRC, 20), 32));
        }
        assertDelivers(receiver, sent.get(sent.size() - 1)); // seq 1128
        Sent tooOld = sent.get(0); // 128 behind
        assertEquals(ERR_REPLAY, receiver.unprotectRtp(tooOld.copy(), 0, tooOld.wireLength));
        assertDelivers(receiver, sent.get(1)); // 127 behind: still inside
        assertDelivers(receiver, sent.get(64)); // crosses the two words of the bitmap
        assertEquals(ERR_REPLAY, receiver.unprotectRtp(sent.get(64).copy(), 0, sent.get(64).wireLength));
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void reorderedWithinWindowAcceptedOnceEach(SrtpProfile profile) {
        SrtpContext sender = context(profile);
        SrtpContext receiver = context(profile);
        List<Sent> sent = new ArrayList<>();
        for (int seq = 0; seq < 100; seq++) {
            sent.add(send(sender, rtp(seq, SSRC, 40), 52));
        }
        Collections.shuffle(sent, new Random(3711));
        for (Sent s : sent) {
            assertDelivers(receiver, s);
        }
        for (Sent s : sent) {
            assertEquals(ERR_REPLAY, receiver.unprotectRtp(s.copy(), 0, s.wireLength));
        }
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void sequenceWrapIncrementsRocAndLatePreWrapPacketStillDecrypts(SrtpProfile profile) {
        SrtpContext sender = context(profile);
        SrtpContext receiver = context(profile);
        List<Sent> sent = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            sent.add(send(sender, rtp((65530 + i) & 0xffff, SSRC, 30), 42)); // 65530..65535, 0..13 with ROC 1
        }
        Sent late = sent.remove(4); // seq 65534, ROC 0
        for (Sent s : sent) {
            assertDelivers(receiver, s);
        }
        assertDelivers(receiver, late); // receiver guesses ROC - 1
        assertEquals(ERR_REPLAY, receiver.unprotectRtp(late.copy(), 0, late.wireLength));

        // The wrong ROC must not authenticate: a receiver that never saw the wrap guesses ROC 0 for seq 5.
        SrtpContext fresh = context(profile);
        Sent afterWrap = sent.get(10);
        assertEquals(5, Bytes.u16(afterWrap.wire, 2));
        assertDelivers(fresh, sent.get(0)); // 65530, ROC 0
        assertDelivers(fresh, afterWrap); // 5: guessed ROC 1 from s_l = 65530
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void rocKeepsAdvancingOverSeveralWraps(SrtpProfile profile) {
        SrtpContext sender = context(profile);
        SrtpContext receiver = context(profile);
        byte[] buf = rtp(0, SSRC, 8);
        for (int i = 0; i < 3 * 65536 + 500; i++) {
            byte[] packet = rtp(i & 0xffff, SSRC, 8);
            int len = sender.protectRtp(packet, 0, 20);
            if (i % 1000 == 999) {
                System.arraycopy(packet, 0, buf, 0, len);
                assertEquals(20, receiver.unprotectRtp(buf, 0, len), "packet " + i);
                assertArrayEquals(Arrays.copyOf(rtp(i & 0xffff, SSRC, 8), 20), Arrays.copyOf(buf, 20));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void csrcsAndHeaderExtensionAreAuthenticatedButNotEncrypted(SrtpProfile profile) {
        SrtpContext sender = context(profile);
        SrtpContext receiver = context(profile);
        // V=2, X=1, CC=2; two CSRCs; one-byte-header extension 0xBEDE with 2 words; 30 payload bytes.
        byte[] header = Hex.decode("92 60 0007 00000960 12345678 11111111 22222222 BEDE0002 10AA2233 44556600");
        int headerLength = header.length;
        byte[] plain = new byte[headerLength + 30 + 32];
        System.arraycopy(header, 0, plain, 0, headerLength);
        for (int i = 0; i < 30; i++) {
            plain[headerLength + i] = (byte) i;
        }
        Sent s = send(sender, plain, headerLength + 30);
        assertArrayEquals(header, Arrays.copyOf(s.wire, headerLength), "header travels in the clear");
        assertFalse(Arrays.equals(Arrays.copyOfRange(plain, headerLength, headerLength + 30),
                Arrays.copyOfRange(s.wire, headerLength, headerLength + 30)));
        for (int position : new int[] {13, 17, 25, 30}) { // CSRC, CSRC, extension, extension data
            byte[] buf = s.copy();
            buf[position] ^= 4;
            assertEquals(ERR_AUTH, receiver.unprotectRtp(buf, 0, s.wireLength), "flip at " + position);
        }
        assertDelivers(receiver, s);
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void malformedPacketsAreRejected(SrtpProfile profile) {
        SrtpContext ctx = context(profile);
        byte[] p = rtp(1, SSRC, 10);
        p[0] = 0x40; // version 1
        assertEquals(ERR_MALFORMED, ctx.protectRtp(p, 0, 22));
        assertEquals(ERR_MALFORMED, ctx.protectRtp(rtp(1, SSRC, 10), 0, 11));
        byte[] ext = rtp(1, SSRC, 10);
        ext[0] = (byte) 0x90; // X=1, extension length word says 0xffff words
        ext[14] = (byte) 0xff;
        ext[15] = (byte) 0xff;
        assertEquals(ERR_MALFORMED, ctx.protectRtp(ext, 0, 22));
        byte[] exact = Arrays.copyOf(rtp(1, SSRC, 10), 22); // no room for the tag
        assertEquals(ERR_MALFORMED, ctx.protectRtp(exact, 0, 22));
        assertEquals(ERR_MALFORMED, ctx.unprotectRtp(new byte[40], 0, 12 + profile.tagLength - 1));
        assertEquals(ERR_MALFORMED, ctx.unprotectRtp(new byte[40], 30, 20));
        assertEquals(ERR_MALFORMED, ctx.protectRtcp(new byte[40], 0, 7));
        assertEquals(ERR_MALFORMED, ctx.unprotectRtcp(new byte[40], 0, 8 + ctx.maxOverhead() - 1));
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void wrongKeyFailsAuthentication(SrtpProfile profile) {
        Sent s = send(context(profile), rtp(9, SSRC, 50), 62);
        SrtpContext other = new SrtpContext(profile, new byte[profile.keyLength], new byte[profile.saltLength]);
        assertEquals(ERR_AUTH, other.unprotectRtp(s.copy(), 0, s.wireLength));
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void srtcpRoundTripReplayAndTamper(SrtpProfile profile) {
        SrtpContext sender = context(profile);
        SrtpContext receiver = context(profile);
        // Receiver report: V=2, RC=0, PT=201, length 1, SSRC; then an SDES-ish tail to have something to encrypt.
        byte[] rtcp = Hex.decode("80c90001 cafebabe 81ca0003 cafebabe 0105616c 69636500");
        List<byte[]> wires = new ArrayList<>();
        List<Integer> lengths = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            byte[] buf = Arrays.copyOf(rtcp, 64);
            int len = sender.protectRtcp(buf, 0, rtcp.length);
            assertEquals(rtcp.length + sender.maxOverhead(), len);
            assertFalse(Arrays.equals(Arrays.copyOfRange(rtcp, 8, 24), Arrays.copyOfRange(buf, 8, 24)));
            int word = Bytes.i32(buf, profile == SrtpProfile.AEAD_AES_128_GCM ? len - 4 : len - 14);
            assertEquals(0x80000000 | i, word, "E flag set, index counts from 0");
            wires.add(buf);
            lengths.add(len);
        }
        for (int i : new int[] {1, 0, 4, 2, 3}) {
            byte[] buf = wires.get(i).clone();
            assertEquals(rtcp.length, receiver.unprotectRtcp(buf, 0, lengths.get(i)));
            assertArrayEquals(rtcp, Arrays.copyOf(buf, rtcp.length));
        }
        assertEquals(ERR_REPLAY, receiver.unprotectRtcp(wires.get(2).clone(), 0, lengths.get(2)));

        byte[] next = Arrays.copyOf(rtcp, 64);
        int len = sender.protectRtcp(next, 0, rtcp.length);
        for (int position : new int[] {0, 5, 10, len - 1, len - 5}) {
            byte[] buf = next.clone();
            buf[position] ^= 0x20;
            assertEquals(ERR_AUTH, receiver.unprotectRtcp(buf, 0, len), "flip at " + position);
        }
        assertEquals(rtcp.length, receiver.unprotectRtcp(next, 0, len), "failures left the window alone");
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void srtcpOutsideWindowIsTooOld(SrtpProfile profile) {
        SrtpContext sender = context(profile);
        SrtpContext receiver = context(profile);
        byte[] rtcp = Hex.decode("80c90001 cafebabe");
        byte[] first = Arrays.copyOf(rtcp, 64);
        int firstLength = sender.protectRtcp(first, 0, rtcp.length);
        sender.setNextSrtcpIndex(0xcafebabe, SrtpContext.REPLAY_WINDOW);
        byte[] later = Arrays.copyOf(rtcp, 64);
        assertEquals(rtcp.length, receiver.unprotectRtcp(later, 0, sender.protectRtcp(later, 0, rtcp.length)));
        assertEquals(ERR_REPLAY, receiver.unprotectRtcp(first, 0, firstLength));
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void manySsrcsInOneContext(SrtpProfile profile) {
        SrtpContext sender = context(profile);
        SrtpContext receiver = context(profile);
        for (int round = 0; round < 3; round++) {
            for (int k = 0; k < 200; k++) {
                int ssrc = k * 0x01000193;
                assertDelivers(receiver, send(sender, rtp(round, ssrc, 16), 28));
            }
        }
        assertEquals(200, receiver.ssrcCount());
        assertTrue(sender.ssrcCount() == 200);
    }
}
