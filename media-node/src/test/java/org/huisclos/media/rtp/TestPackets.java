package org.huisclos.media.rtp;

import org.huisclos.media.bytes.Bytes;

/** Builds RTP packets for tests, field by field, so the expected bytes stay visible in the test. */
final class TestPackets {
    private TestPackets() {
    }

    /** A minimal packet: 12-byte header, no CSRC, no extension, no padding. */
    static byte[] simple(int pt, int seq, long ts, int ssrc, byte[] payload) {
        byte[] p = new byte[12 + payload.length];
        p[0] = (byte) 0x80;
        p[1] = (byte) pt;
        Bytes.put16(p, 2, seq);
        Bytes.put32(p, 4, ts);
        Bytes.put32(p, 8, ssrc);
        System.arraycopy(payload, 0, p, 12, payload.length);
        return p;
    }

    /** Copies {@code packet} into a larger array at {@code off}, surrounded by junk bytes. */
    static byte[] embed(byte[] packet, int off, int trailing) {
        byte[] b = new byte[off + packet.length + trailing];
        java.util.Arrays.fill(b, (byte) 0x5A);
        System.arraycopy(packet, 0, b, off, packet.length);
        return b;
    }

    static byte[] bytes(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        return b;
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
