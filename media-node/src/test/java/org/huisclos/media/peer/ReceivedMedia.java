package org.huisclos.media.peer;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.huisclos.media.rtcp.Nack;
import org.huisclos.media.rtcp.ReceiverReport;
import org.huisclos.media.rtcp.Remb;
import org.huisclos.media.rtcp.RtcpIterator;
import org.huisclos.media.rtcp.RtcpPacket;
import org.huisclos.media.rtcp.SenderReport;
import org.huisclos.media.rtp.RtpPacket;
import org.huisclos.media.rtp.Rtx;

/**
 * What the peer received after SRTP/SRTCP unprotection: RTP per SSRC (packets, bytes, last sequence
 * number, the plaintext of each packet), RTX packets by original sequence number, and RTCP by kind
 * (PLI, RR, REMB, SR, NACK). Written by the peer's receive thread, read by tests.
 */
public final class ReceivedMedia {
    private static final int MAX_KEPT = 50_000;

    /** Counts of one SSRC. */
    public static final class SsrcStats {
        public final AtomicLong packets = new AtomicLong();
        public final AtomicLong bytes = new AtomicLong();
        public volatile int lastSeq = -1;
        public volatile int payloadType = -1;
        /** VP8 packets that start a key frame. */
        public final AtomicLong keyframes = new AtomicLong();
    }

    /** Sees every decrypted RTP packet, on the receive thread; see {@link #listen}. */
    public interface PacketListener {
        void rtp(byte[] buf, int off, int len);
    }

    private final java.util.List<PacketListener> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Map<Integer, AtomicLong> plisBySsrc = new ConcurrentHashMap<>();
    private final Map<Integer, java.util.List<byte[]>> senderReportsBySsrc = new ConcurrentHashMap<>();
    private final AtomicLong senderReportCount = new AtomicLong();
    private final Map<Integer, SsrcStats> bySsrc = new ConcurrentHashMap<>();
    private final Map<Long, byte[]> packets = new ConcurrentHashMap<>();
    private final Map<Long, byte[]> rtx = new ConcurrentHashMap<>();
    final AtomicLong plis = new AtomicLong();
    final AtomicLong receiverReports = new AtomicLong();
    final AtomicLong rembs = new AtomicLong();
    final AtomicLong senderReports = new AtomicLong();
    final AtomicLong nacks = new AtomicLong();
    final AtomicLong srtpFailures = new AtomicLong();
    volatile long lastRembBitrate = -1;
    volatile int lastPliMediaSsrc;

    /** A decrypted RTP packet; {@code rtxPayloadType} marks RTX (RFC 4588) packets. */
    void onRtp(byte[] buf, int off, int len, int rtxPayloadType) {
        if (!RtpPacket.isValid(buf, off, len)) {
            return;
        }
        int ssrc = RtpPacket.ssrc(buf, off);
        int seq = RtpPacket.sequenceNumber(buf, off);
        SsrcStats s = bySsrc.computeIfAbsent(ssrc, k -> new SsrcStats());
        s.packets.incrementAndGet();
        s.bytes.addAndGet(len);
        s.lastSeq = seq;
        s.payloadType = RtpPacket.payloadType(buf, off);
        if (s.payloadType == AnswerBuilder.VP8_PT && Vp8Descriptor.isKeyframeStart(buf, RtpPacket.payloadOffset(buf, off),
                RtpPacket.payloadLength(buf, off, len))) {
            s.keyframes.incrementAndGet();
        }
        for (PacketListener l : listeners) {
            l.rtp(buf, off, len);
        }
        byte[] copy = java.util.Arrays.copyOfRange(buf, off, off + len);
        if (RtpPacket.payloadType(buf, off) == rtxPayloadType) {
            int osn = Rtx.originalSequenceNumber(buf, off, len);
            if (osn >= 0 && rtx.size() < MAX_KEPT) {
                rtx.put(key(ssrc, osn), copy);
            }
        } else if (packets.size() < MAX_KEPT) {
            packets.put(key(ssrc, seq), copy);
        }
    }

    /** A decrypted (compound) RTCP packet. */
    void onRtcp(byte[] buf, int off, int len) {
        RtcpIterator it = new RtcpIterator().reset(buf, off, len);
        while (it.next()) {
            int type = it.packetType();
            if (type == RtcpPacket.RR && ReceiverReport.isValid(buf, it.offset(), it.length())) {
                receiverReports.incrementAndGet();
            } else if (type == RtcpPacket.SR) {
                senderReports.incrementAndGet();
                if (it.length() >= SenderReport.FIXED_LENGTH && senderReportCount.get() < MAX_KEPT) {
                    senderReportCount.incrementAndGet();
                    senderReportsBySsrc.computeIfAbsent(SenderReport.senderSsrc(buf, it.offset()),
                            k -> new java.util.concurrent.CopyOnWriteArrayList<>())
                            .add(java.util.Arrays.copyOfRange(buf, it.offset(), it.offset() + SenderReport.FIXED_LENGTH));
                }
            } else if (type == RtcpPacket.PSFB && it.fmt() == RtcpPacket.FMT_PLI) {
                lastPliMediaSsrc = it.mediaSsrc();
                plisBySsrc.computeIfAbsent(it.mediaSsrc(), k -> new AtomicLong()).incrementAndGet();
                plis.incrementAndGet();
            } else if (Remb.isRemb(buf, it.offset(), it.length())) {
                lastRembBitrate = Remb.bitrate(buf, it.offset());
                rembs.incrementAndGet();
            } else if (type == RtcpPacket.RTPFB && it.fmt() == RtcpPacket.FMT_NACK && Nack.entryCount(it.length()) > 0) {
                nacks.incrementAndGet();
            }
        }
    }

    /** From now on {@code listener} sees each RTP packet received (valid, decrypted) before it is counted. */
    public void listen(PacketListener listener) {
        listeners.add(listener);
    }

    /** The sender reports (RFC 3550 §6.4.1, their 28 bytes without report blocks) received from {@code ssrc}, in order. */
    public java.util.List<byte[]> senderReports(int ssrc) {
        return java.util.List.copyOf(senderReportsBySsrc.getOrDefault(ssrc, java.util.List.of()));
    }

    /** PLIs received that ask for a key frame of media SSRC {@code ssrc}. */
    public long plis(int ssrc) {
        AtomicLong n = plisBySsrc.get(ssrc);
        return n == null ? 0 : n.get();
    }

    public SsrcStats stats(int ssrc) {
        return bySsrc.computeIfAbsent(ssrc, k -> new SsrcStats());
    }

    public long packets(int ssrc) {
        SsrcStats s = bySsrc.get(ssrc);
        return s == null ? 0 : s.packets.get();
    }

    /** RTP packets received on every SSRC together. */
    public long totalPackets() {
        return bySsrc.values().stream().mapToLong(s -> s.packets.get()).sum();
    }

    /** The decrypted packet {@code seq} of {@code ssrc}, or null if it never arrived. */
    public byte[] packet(int ssrc, int seq) {
        return packets.get(key(ssrc, seq));
    }

    /** The RTX packet on {@code rtxSsrc} that carries original sequence number {@code osn}, or null. */
    public byte[] retransmission(int rtxSsrc, int osn) {
        return rtx.get(key(rtxSsrc, osn));
    }

    private static long key(int ssrc, int seq) {
        return ((ssrc & 0xffffffffL) << 16) | (seq & 0xffff);
    }
}
