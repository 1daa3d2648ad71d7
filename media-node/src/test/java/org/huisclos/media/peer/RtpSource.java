package org.huisclos.media.peer;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One outgoing RTP stream of the peer: valid RTP headers with increasing sequence numbers and
 * timestamps, and an Opus-like or VP8-like payload (RFC 7741 descriptor with PictureID, a key frame
 * header when asked). Remembers the plaintext of what it sent, by sequence number, so tests can
 * compare what subscribers receive. Not thread-safe: one sending thread at a time.
 */
final class RtpSource {
    private static final int HISTORY = 4096;

    final String kind;
    final int ssrc;
    final int payloadType;
    private final int timestampStep;
    private int seq;
    private long timestamp;
    private int pictureId;
    /** The audio level (RFC 6464, 0..127 -dBov) to put in audio packets, or -1 for none. */
    volatile int audioLevel = -1;
    private final Map<Integer, byte[]> sent = new ConcurrentHashMap<>();

    RtpSource(String kind, int ssrc, int payloadType, int timestampStep, int firstSeq, long firstTimestamp) {
        this.kind = kind;
        this.ssrc = ssrc;
        this.payloadType = payloadType;
        this.timestampStep = timestampStep;
        this.seq = firstSeq & 0xffff;
        this.timestamp = firstTimestamp & 0xffffffffL;
    }

    /** The next packet (plaintext, with {@code spare} free bytes after it for the SRTP tag); returns its length. */
    int next(byte[] out, boolean keyframe) {
        int p = 12;
        out[0] = (byte) 0x80;
        out[1] = (byte) (0x80 | payloadType); // one packet per frame: marker on every packet
        out[2] = (byte) (seq >>> 8);
        out[3] = (byte) seq;
        out[4] = (byte) (timestamp >>> 24);
        out[5] = (byte) (timestamp >>> 16);
        out[6] = (byte) (timestamp >>> 8);
        out[7] = (byte) timestamp;
        out[8] = (byte) (ssrc >>> 24);
        out[9] = (byte) (ssrc >>> 16);
        out[10] = (byte) (ssrc >>> 8);
        out[11] = (byte) ssrc;
        int fill;
        if (kind.equals("video")) {
            out[p++] = (byte) 0x90; // X=1, S=1, PID=0
            out[p++] = (byte) 0x80; // I: PictureID follows
            out[p++] = (byte) (0x80 | (pictureId >>> 8) & 0x7f); // M=1: 15-bit PictureID
            out[p++] = (byte) pictureId;
            pictureId = (pictureId + 1) & 0x7fff;
            if (keyframe) {
                // VP8 frame tag with P=0 (key frame, RFC 6386 §9.1), start code, 640x480
                byte[] header = {0x10, 0x02, 0x00, (byte) 0x9d, 0x01, 0x2a, (byte) 0x80, 0x02, (byte) 0xe0, 0x01};
                System.arraycopy(header, 0, out, p, header.length);
                p += header.length;
            } else {
                byte[] header = {0x31, 0x01, 0x00}; // P=1: inter frame
                System.arraycopy(header, 0, out, p, header.length);
                p += header.length;
            }
            fill = 300;
        } else {
            int level = audioLevel;
            if (level >= 0) { // RFC 6464 in a one-byte extension block (RFC 8285): id 1, one byte, two padding
                out[0] = (byte) 0x90;
                byte[] block = {(byte) 0xBE, (byte) 0xDE, 0, 1, 0x10, (byte) (0x80 | level), 0, 0};
                System.arraycopy(block, 0, out, p, block.length);
                p += block.length;
            }
            out[p++] = 0x78; // Opus TOC: CELT FB 20 ms, mono
            fill = 80;
        }
        for (int i = 0; i < fill; i++) {
            out[p++] = (byte) (seq * 31 + i * 7 + ssrc);
        }
        if (sent.size() < HISTORY) {
            sent.put(seq, java.util.Arrays.copyOf(out, p));
        } else {
            sent.remove((seq - HISTORY) & 0xffff);
            sent.put(seq, java.util.Arrays.copyOf(out, p));
        }
        seq = (seq + 1) & 0xffff;
        timestamp = (timestamp + timestampStep) & 0xffffffffL;
        return p;
    }

    /** The plaintext of the packet sent with sequence number {@code seq}, or null. */
    byte[] sent(int seq) {
        return sent.get(seq & 0xffff);
    }

    /** The sequence number the next packet will carry. */
    int nextSeq() {
        return seq;
    }
}
