package org.huisclos.loadgen;

import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntPredicate;
import org.huisclos.media.peer.AnswerBuilder;

/**
 * What one synthetic participant publishes: Opus-like audio packets and VP8-like video frames as
 * clear RTP, each ending with the {@link Participant#TRAILER}-byte trailer (magic, publisher index,
 * measured flag, {@code System.nanoTime()} at sending). Sequence numbers, timestamps and the VP8
 * PictureID advance as a browser's would; a key frame follows a PLI. Sender thread only, but for
 * {@link #keyframeNext} and the counters.
 */
final class SyntheticMedia {
    /** Takes a finished clear RTP packet, {@code buf[0..length)}, to protect and send. */
    interface PacketSink {
        void send(byte[] buf, int length);
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private final int index;
    private final int audioSsrc;
    private final int videoSsrc;
    private final IntPredicate sampled;
    private final PacketSink sink;
    private int audioSeq = RANDOM.nextInt() & 0xffff;
    private int videoSeq = RANDOM.nextInt() & 0xffff;
    private long audioTs = RANDOM.nextInt() & 0xffffffffL;
    private long videoTs = RANDOM.nextInt() & 0xffffffffL;
    private int pictureId = RANDOM.nextInt() & 0x7fff;
    private final AtomicBoolean keyframe = new AtomicBoolean(true);
    final AtomicLong measuredSent = new AtomicLong();
    /** Measured packets whose sequence number makes receivers decrypt and time them: expected for loss. */
    final AtomicLong sampledSent = new AtomicLong();
    final AtomicLong keyframesSent = new AtomicLong();

    /**
     * @param index   the publisher's index, written in every trailer
     * @param sampled whether receivers decrypt and time the packet with this sequence number
     */
    SyntheticMedia(int index, int audioSsrc, int videoSsrc, IntPredicate sampled, PacketSink sink) {
        this.index = index;
        this.audioSsrc = audioSsrc;
        this.videoSsrc = videoSsrc;
        this.sampled = sampled;
        this.sink = sink;
    }

    /** The next video frame is a key frame (a PLI came). */
    void keyframeNext() {
        keyframe.set(true);
    }

    /** One Opus-like packet (20 ms, ~100 bytes). */
    void audio(byte[] buf, boolean measured) {
        int p = header(buf, AnswerBuilder.OPUS_PT, true, audioSeq, audioTs, audioSsrc);
        audioSeq = (audioSeq + 1) & 0xffff;
        audioTs = (audioTs + 960) & 0xffffffffL;
        buf[p++] = 0x78; // Opus TOC: CELT FB 20 ms
        p = fill(buf, p, 80);
        finish(buf, p, measured);
    }

    /** One VP8-like frame of {@code packets} packets of {@code payload} bytes; a key frame after a PLI. */
    void videoFrame(byte[] buf, int packets, int payload, boolean measured) {
        boolean key = keyframe.getAndSet(false);
        if (key) {
            keyframesSent.incrementAndGet();
        }
        for (int i = 0; i < packets; i++) {
            int p = header(buf, AnswerBuilder.VP8_PT, i == packets - 1, videoSeq, videoTs, videoSsrc);
            videoSeq = (videoSeq + 1) & 0xffff;
            int start = p;
            // RFC 7741 payload descriptor: X=1, S on the first packet of the frame, PID=0; I: 15-bit PictureID
            buf[p++] = (byte) (i == 0 ? 0x90 : 0x80);
            buf[p++] = (byte) 0x80;
            buf[p++] = (byte) (0x80 | (pictureId >>> 8) & 0x7f);
            buf[p++] = (byte) pictureId;
            if (i == 0) {
                if (key) { // VP8 frame tag P=0, start code, 640x480 (RFC 6386 §9.1)
                    byte[] h = {0x10, 0x02, 0x00, (byte) 0x9d, 0x01, 0x2a, (byte) 0x80, 0x02, (byte) 0xe0, 0x01};
                    System.arraycopy(h, 0, buf, p, h.length);
                    p += h.length;
                } else {
                    buf[p++] = 0x31;
                    buf[p++] = 0x01;
                    buf[p++] = 0x00;
                }
            }
            p = fill(buf, p, Math.max(0, payload - (p - start) - Participant.TRAILER));
            finish(buf, p, measured);
        }
        pictureId = (pictureId + 1) & 0x7fff;
        videoTs = (videoTs + 3000) & 0xffffffffL;
    }

    private static int header(byte[] out, int pt, boolean marker, int seq, long ts, int ssrc) {
        out[0] = (byte) 0x80;
        out[1] = (byte) ((marker ? 0x80 : 0) | pt);
        out[2] = (byte) (seq >>> 8);
        out[3] = (byte) seq;
        putInt(out, 4, (int) ts);
        putInt(out, 8, ssrc);
        return 12;
    }

    private static int fill(byte[] buf, int p, int n) {
        for (int i = 0; i < n; i++) {
            buf[p++] = (byte) (i * 7 + 3);
        }
        return p;
    }

    private void finish(byte[] buf, int p, boolean measured) {
        putInt(buf, p, Participant.MAGIC);
        putInt(buf, p + 4, index);
        putInt(buf, p + 8, measured ? 1 : 0);
        putLong(buf, p + 12, System.nanoTime());
        if (measured) {
            measuredSent.incrementAndGet();
            if (sampled.test(((buf[2] & 0xff) << 8) | (buf[3] & 0xff))) {
                sampledSent.incrementAndGet();
            }
        }
        sink.send(buf, p + Participant.TRAILER);
    }

    private static void putInt(byte[] b, int o, int v) {
        b[o] = (byte) (v >>> 24);
        b[o + 1] = (byte) (v >>> 16);
        b[o + 2] = (byte) (v >>> 8);
        b[o + 3] = (byte) v;
    }

    private static void putLong(byte[] b, int o, long v) {
        putInt(b, o, (int) (v >>> 32));
        putInt(b, o + 4, (int) v);
    }

    static int getInt(byte[] b, int o) {
        return (b[o] & 0xff) << 24 | (b[o + 1] & 0xff) << 16 | (b[o + 2] & 0xff) << 8 | (b[o + 3] & 0xff);
    }

    static long getLong(byte[] b, int o) {
        return ((long) getInt(b, o) << 32) | (getInt(b, o + 4) & 0xffffffffL);
    }
}
