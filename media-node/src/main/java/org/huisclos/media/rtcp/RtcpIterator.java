package org.huisclos.media.rtcp;

/**
 * Reusable cursor over a compound RTCP packet (RFC 3550 §6.1) held at {@code (buf, off, len)}.
 *
 * <pre>
 *   it.reset(buf, off, len);
 *   while (it.next()) { switch (it.packetType()) { ... } }
 * </pre>
 *
 * Each step checks version 2 and that the packet, per its length field, fits in what is left; the
 * first packet that fails ends the iteration and sets {@link #malformed()}. The length field counts
 * words minus one, so every step advances at least 4 bytes and iteration always terminates.
 */
public final class RtcpIterator {
    private byte[] buf;
    private int next;
    private int end;
    private int packetOff;
    private int packetLen;
    private boolean malformed;

    public RtcpIterator reset(byte[] buf, int off, int len) {
        this.buf = buf;
        boolean inBounds = buf != null && off >= 0 && len >= 0 && off <= buf.length - len;
        this.next = inBounds ? off : 0;
        this.end = inBounds ? off + len : 0;
        this.packetOff = -1;
        this.packetLen = 0;
        this.malformed = !inBounds;
        return this;
    }

    /** Advances to the next packet; false at the end of the compound packet or at a malformed one. */
    public boolean next() {
        if (malformed || next >= end) {
            return false;
        }
        if (end - next < RtcpPacket.HEADER_LENGTH || RtcpPacket.version(buf, next) != 2) {
            return stop();
        }
        int length = RtcpPacket.lengthInBytes(buf, next);
        if (length > end - next) {
            return stop();
        }
        packetOff = next;
        packetLen = length;
        next += length;
        return true;
    }

    private boolean stop() {
        malformed = true;
        packetOff = -1;
        packetLen = 0;
        return false;
    }

    /** Whether iteration ended on a packet that failed validation rather than at the end. */
    public boolean malformed() {
        return malformed;
    }

    public byte[] buffer() {
        return buf;
    }

    /** Absolute offset of the current packet. */
    public int offset() {
        return packetOff;
    }

    /** Length of the current packet in bytes, header included. */
    public int length() {
        return packetLen;
    }

    public int packetType() {
        return RtcpPacket.packetType(buf, packetOff);
    }

    /** RC, SC or FMT. */
    public int count() {
        return RtcpPacket.count(buf, packetOff);
    }

    public int fmt() {
        return count();
    }

    /** The SSRC after the header, or 0 for a packet too short to hold one. */
    public int senderSsrc() {
        return packetLen >= 8 ? RtcpPacket.senderSsrc(buf, packetOff) : 0;
    }

    /** The media source SSRC of a feedback message, or 0 for a packet too short to hold one. */
    public int mediaSsrc() {
        return packetLen >= RtcpPacket.FEEDBACK_HEADER_LENGTH ? RtcpPacket.mediaSsrc(buf, packetOff) : 0;
    }
}
