package org.huisclos.media.peer;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.huisclos.media.rtp.RtpPacket;

/**
 * What a subscriber receives of a {@link SimulcastPublisher}'s video, in arrival order (retransmissions
 * left out): per packet the numbers the node rewrote (SSRC, sequence number, timestamp, PictureID,
 * TL0PICIDX) and, from the payload's {@link SimulcastPublisher.Mark}, the layer and sequence number the
 * publisher sent it with. {@link #breaks} says where the stream is not one continuous stream.
 */
public final class ReceivedSimulcast {
    /** One packet as received. */
    public record Packet(int ssrc, int seq, long timestamp, int pictureId, int tl0, boolean keyframe,
                         int layer, int originalSeq, long nanos) {
    }

    /** The subscriber. */
    public final TestPeer peer;
    private final List<Packet> packets = new CopyOnWriteArrayList<>();

    /** Records from now on what {@code subscriber} receives of simulcast publishers. */
    public ReceivedSimulcast(TestPeer subscriber) {
        this.peer = subscriber;
        subscriber.received().listen(this::onRtp);
    }

    private void onRtp(byte[] buf, int off, int len) {
        if (RtpPacket.payloadType(buf, off) != AnswerBuilder.VP8_PT) {
            return;
        }
        int payload = RtpPacket.payloadOffset(buf, off);
        int length = RtpPacket.payloadLength(buf, off, len);
        SimulcastPublisher.Mark mark = SimulcastPublisher.Mark.read(buf, payload, length);
        if (mark == null) {
            return;
        }
        packets.add(new Packet(RtpPacket.ssrc(buf, off), RtpPacket.sequenceNumber(buf, off),
                RtpPacket.timestamp(buf, off), Vp8Descriptor.pictureId(buf, payload, length),
                Vp8Descriptor.tl0PicIdx(buf, payload, length), Vp8Descriptor.isKeyframeStart(buf, payload, length),
                mark.layer(), mark.seq(), System.nanoTime()));
    }

    public List<Packet> packets() {
        return List.copyOf(packets);
    }

    public int size() {
        return packets.size();
    }

    /** The last packet received, or null. */
    public Packet last() {
        return packets.isEmpty() ? null : packets.get(packets.size() - 1);
    }

    /** The layer of the last packet received, or -1 before any. */
    public int layer() {
        Packet p = last();
        return p == null ? -1 : p.layer();
    }

    /** Packets received after the {@code from}-th. */
    public List<Packet> since(int from) {
        List<Packet> all = packets();
        return all.subList(Math.min(from, all.size()), all.size());
    }

    /**
     * Where the packets are not one continuous stream: an SSRC that changes, a sequence number, PictureID
     * or TL0PICIDX that does not follow the previous one by exactly 1 (one packet per frame, no losses on
     * loopback), a timestamp that goes back, a layer that changes other than at a key frame. Empty when
     * none.
     */
    public List<String> breaks() {
        List<String> out = new ArrayList<>();
        List<Packet> all = packets();
        for (int i = 1; i < all.size(); i++) {
            Packet a = all.get(i - 1);
            Packet b = all.get(i);
            String where = "packet " + i + " (" + a + " -> " + b + ")";
            if (a.ssrc != b.ssrc) {
                out.add("SSRC changed at " + where);
            }
            if (b.seq != (a.seq + 1 & 0xffff)) {
                out.add("sequence number jumped at " + where);
            }
            if (b.pictureId != (a.pictureId + 1 & 0x7fff)) {
                out.add("PictureID jumped at " + where);
            }
            if (b.tl0 != (a.tl0 + 1 & 0xff)) {
                out.add("TL0PICIDX jumped at " + where);
            }
            if (((b.timestamp - a.timestamp) & 0x8000_0000L) != 0) {
                out.add("timestamp went back at " + where);
            }
            if (a.layer != b.layer && !b.keyframe) {
                out.add("layer switched without a key frame at " + where);
            }
        }
        return out;
    }

    /** How many times the layer changed. */
    public int switches() {
        int n = 0;
        List<Packet> all = packets();
        for (int i = 1; i < all.size(); i++) {
            n += all.get(i).layer() != all.get(i - 1).layer() ? 1 : 0;
        }
        return n;
    }
}
