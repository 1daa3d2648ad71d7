package org.huisclos.media.peer;

import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A publisher of simulcast video as Chromium sends it (RFC 8853): its answer names the layers by rid and
 * no SSRCs, and each layer goes out on its own random SSRC with its own sequence numbers, timestamps and
 * VP8 picture ids. Every packet carries the rtp-stream-id header extension (RFC 8852, one-byte form,
 * RFC 8285) naming its layer, a VP8 payload descriptor (RFC 7741 §4.2: 15-bit PictureID, TL0PICIDX,
 * TID 0) and, on key frames, a VP8 key frame header (RFC 6386 §9.1) with the layer's size. Each frame is
 * one packet. After the VP8 header the payload says where it came from (see {@link Mark}), so that a
 * receiver can tell which layer and packet it got after the node rewrote the numbers.
 *
 * <p>A layer sends a key frame first, then when a PLI names its SSRC, and every {@code keyframeInterval}
 * frames if that is not 0. Thread-safe: a test may send reports or stray packets while a pump sends frames.
 */
public final class SimulcastPublisher {
    /** The node's extmap ids (sdp/HeaderExtension): rtp-stream-id and repaired-rtp-stream-id. */
    public static final int RTP_STREAM_ID = 10;
    public static final int REPAIRED_RTP_STREAM_ID = 11;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int FRAME_TICKS = 3000; // 30 frames a second at 90 kHz
    private static final int FILL = 200;
    private static final int HISTORY = 4096;

    /** Where a packet came from, written after its VP8 header: 'S', the layer's index, its sequence number. */
    public record Mark(int layer, int seq) {
        static final int LENGTH = 4;

        /** The mark of a plaintext VP8 packet's payload at {@code payload}, or null when it has none. */
        static Mark read(byte[] buf, int payload, int length) {
            int d = Vp8Descriptor.length(buf, payload, length);
            if (d < 0) {
                return null;
            }
            int at = payload + d + ((buf[payload + d] & 0x01) == 0 ? 10 : 3);
            if (at + LENGTH > payload + length || buf[at] != 'S') {
                return null;
            }
            return new Mark(buf[at + 1], (buf[at + 2] & 0xff) << 8 | buf[at + 3] & 0xff);
        }
    }

    /** One layer's stream. */
    public static final class Layer {
        public final String rid;
        public final int index;
        public final int ssrc = RANDOM.nextInt();
        public final int width;
        public final int height;
        private int seq = RANDOM.nextInt(1 << 16);
        private long timestamp = RANDOM.nextInt() & 0xffffffffL;
        private int pictureId = RANDOM.nextInt(1 << 15);
        private int tl0 = RANDOM.nextInt(256);
        private long frames;
        private long plisSeen;
        private volatile long keyframes;
        private final Map<Integer, byte[]> sent = new ConcurrentHashMap<>();

        Layer(String rid, int index, int width, int height) {
            this.rid = rid;
            this.index = index;
            this.width = width;
            this.height = height;
        }

        /** Key frames this layer sent. */
        public long keyframes() {
            return keyframes;
        }

        /** The plaintext of the packet this layer sent with {@code seq}, or null. */
        public byte[] sent(int seq) {
            return sent.get(seq & 0xffff);
        }
    }

    private final TestPeer peer;
    private final List<Layer> layers = new ArrayList<>();
    private final int keyframeInterval;
    private final byte[] buffer = new byte[1500];
    private volatile boolean loseFirstKeyframes;

    /**
     * A peer publishing layers {@code rids} (lowest first) of heights {@code heights} (16:9), not yet joined.
     * {@code keyframeInterval}: a key frame every that many frames besides those asked for, 0 for none.
     */
    public SimulcastPublisher(Vertx vertx, String nodeId, String room, String participantId, List<String> rids,
                              int[] heights, int keyframeInterval) throws IOException {
        this.peer = TestPeer.simulcast(vertx, nodeId, room, participantId, rids);
        this.keyframeInterval = keyframeInterval;
        for (int i = 0; i < rids.size(); i++) {
            layers.add(new Layer(rids.get(i), i, heights[i] * 16 / 9, heights[i]));
        }
    }

    /** Each layer's first key frame is lost on the way (not sent): the node learns no layer's size from it. */
    public void loseFirstKeyframes() {
        loseFirstKeyframes = true;
    }

    public TestPeer peer() {
        return peer;
    }

    public List<Layer> layers() {
        return List.copyOf(layers);
    }

    public Layer layer(String rid) {
        return layers.stream().filter(l -> l.rid.equals(rid)).findFirst().orElseThrow();
    }

    /** Sends the next frame of every layer. */
    public void sendFrame() {
        for (Layer layer : layers) {
            sendFrame(layer);
        }
    }

    /** Sends the next frame of {@code layer}: a key frame when due. */
    public synchronized void sendFrame(Layer layer) {
        long plis = peer.received().plis(layer.ssrc);
        boolean key = layer.frames == 0 || plis != layer.plisSeen
                || keyframeInterval > 0 && layer.frames % keyframeInterval == 0;
        layer.plisSeen = plis;
        int len = frame(layer, key);
        layer.sent.remove((layer.seq - HISTORY) & 0xffff);
        layer.sent.put(layer.seq, java.util.Arrays.copyOf(buffer, len));
        if (!(loseFirstKeyframes && layer.frames == 0)) {
            peer.sendProtected(buffer, len, false);
        }
        layer.frames++;
        layer.seq = (layer.seq + 1) & 0xffff;
        layer.timestamp = (layer.timestamp + FRAME_TICKS) & 0xffffffffL;
        layer.pictureId = (layer.pictureId + 1) & 0x7fff;
        layer.tl0 = (layer.tl0 + 1) & 0xff; // every frame is in temporal layer 0
        if (key) {
            layer.keyframes++;
        }
    }

    /**
     * Sends a sender report (RFC 3550 §6.4.1) of {@code layer}: its SSRC, NTP time {@code ntp}, and the RTP
     * timestamp and sequence number of the last frame it sent (returned: {@code seq << 32 | timestamp}).
     */
    public synchronized long sendSenderReport(Layer layer, long ntp) {
        int seq = (layer.seq - 1) & 0xffff;
        long timestamp = (layer.timestamp - FRAME_TICKS) & 0xffffffffL;
        int len = org.huisclos.media.rtcp.SenderReport.write(buffer, 0, layer.ssrc, ntp, timestamp, layer.frames,
                layer.frames * FILL);
        peer.sendProtected(buffer, len, true);
        return (long) seq << 32 | timestamp;
    }

    /**
     * Sends an authentic packet on {@code ssrc}, which no layer uses, carrying header extension {@code id}
     * with {@code rid}: with {@link #REPAIRED_RTP_STREAM_ID} what Chromium sends as a layer's RTX.
     */
    public synchronized void sendOther(int ssrc, int id, String rid) {
        int p = header(buffer, ssrc, 1, 0, id, rid);
        java.util.Arrays.fill(buffer, p, p + FILL, (byte) 0x55);
        peer.sendProtected(buffer, p + FILL, false);
    }

    private int frame(Layer layer, boolean key) {
        byte[] b = buffer;
        int p = header(b, layer.ssrc, layer.seq, layer.timestamp, RTP_STREAM_ID, layer.rid);
        b[p++] = (byte) 0x90; // X=1, S=1, PID=0
        b[p++] = (byte) 0xe0; // I, L, T
        b[p++] = (byte) (0x80 | layer.pictureId >>> 8); // M=1: 15-bit PictureID
        b[p++] = (byte) layer.pictureId;
        b[p++] = (byte) layer.tl0;
        b[p++] = 0x20; // TID 0, Y=1
        if (key) {
            byte[] tag = {0x10, 0x02, 0x00, (byte) 0x9d, 0x01, 0x2a, (byte) layer.width, (byte) (layer.width >>> 8),
                (byte) layer.height, (byte) (layer.height >>> 8)};
            System.arraycopy(tag, 0, b, p, tag.length);
            p += tag.length;
        } else {
            b[p++] = 0x31; // P=1: inter frame
            b[p++] = 0x01;
            b[p++] = 0x00;
        }
        b[p++] = 'S';
        b[p++] = (byte) layer.index;
        b[p++] = (byte) (layer.seq >>> 8);
        b[p++] = (byte) layer.seq;
        for (int i = 0; i < FILL; i++) {
            b[p++] = (byte) (layer.seq * 31 + i * 7 + layer.index);
        }
        return p;
    }

    /**
     * Writes an RTP header (marker set, VP8) with a one-byte-form extension block holding element {@code id}
     * = {@code rid} at the start of {@code b}; returns its length, where the payload starts.
     */
    public static int header(byte[] b, int ssrc, int seq, long timestamp, int id, String rid) {
        byte[] value = rid.getBytes(StandardCharsets.US_ASCII);
        b[0] = (byte) 0x90; // V=2, X=1
        b[1] = (byte) (0x80 | AnswerBuilder.VP8_PT);
        b[2] = (byte) (seq >>> 8);
        b[3] = (byte) seq;
        for (int i = 0; i < 4; i++) {
            b[4 + i] = (byte) (timestamp >>> (24 - 8 * i));
            b[8 + i] = (byte) (ssrc >>> (24 - 8 * i));
        }
        int words = (1 + value.length + 3) / 4;
        b[12] = (byte) 0xbe;
        b[13] = (byte) 0xde;
        b[14] = (byte) (words >>> 8);
        b[15] = (byte) words;
        java.util.Arrays.fill(b, 16, 16 + 4 * words, (byte) 0);
        b[16] = (byte) (id << 4 | value.length - 1);
        System.arraycopy(value, 0, b, 17, value.length);
        return 16 + 4 * words;
    }
}
