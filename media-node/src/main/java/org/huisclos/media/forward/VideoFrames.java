package org.huisclos.media.forward;

import org.huisclos.media.rtp.RtpPacket;
import org.huisclos.media.rtp.Vp8Descriptor;

/**
 * What the layer switch needs to know of a video packet, read once per packet into this reused
 * holder (I/O thread): whether it starts a key frame, and for VP8 its picture id and TL0PICIDX
 * (RFC 7741 §4.2), and a key frame's size (RFC 6386 §9.1: in the key frame's header, after the
 * start code 9d 01 2a). H.264 (RFC 6184): a packet starts a key frame when it carries an SPS or an
 * IDR slice's first fragment, alone or in a STAP-A.
 */
final class VideoFrames {
    boolean keyframeStart;
    int pictureId;
    int tl0PicIdx;
    int width;
    int height;

    void read(boolean vp8, byte[] buf, int off, int len) {
        keyframeStart = false;
        pictureId = -1;
        tl0PicIdx = -1;
        width = 0;
        height = 0;
        int payload = RtpPacket.payloadOffset(buf, off);
        int payloadLength = RtpPacket.payloadLength(buf, off, len);
        if (payloadLength <= 0) {
            return;
        }
        if (vp8) {
            readVp8(buf, payload, payloadLength);
        } else {
            keyframeStart = h264KeyframeStart(buf, payload, payloadLength);
        }
    }

    private void readVp8(byte[] buf, int payload, int length) {
        pictureId = Vp8Descriptor.pictureId(buf, payload, length);
        tl0PicIdx = Vp8Descriptor.tl0PicIdx(buf, payload, length);
        keyframeStart = Vp8Descriptor.isKeyframe(buf, payload, length);
        if (keyframeStart) {
            int header = payload + Vp8Descriptor.length(buf, payload, length);
            int end = payload + length;
            if (header + 10 <= end && (buf[header + 3] & 0xff) == 0x9d && (buf[header + 4] & 0xff) == 0x01
                    && (buf[header + 5] & 0xff) == 0x2a) {
                width = ((buf[header + 6] & 0xff) | (buf[header + 7] & 0xff) << 8) & 0x3fff;
                height = ((buf[header + 8] & 0xff) | (buf[header + 9] & 0xff) << 8) & 0x3fff;
            }
        }
    }

    private static boolean h264KeyframeStart(byte[] buf, int payload, int length) {
        int type = buf[payload] & 0x1f;
        if (type == 5 || type == 7) {
            return true;
        }
        if (type == 24) { // STAP-A: 16-bit size, then a NAL unit, repeated
            int i = payload + 1;
            int end = payload + length;
            while (i + 2 < end) {
                int size = (buf[i] & 0xff) << 8 | buf[i + 1] & 0xff;
                int nal = buf[i + 2] & 0x1f;
                if (nal == 5 || nal == 7) {
                    return true;
                }
                i += 2 + size;
            }
            return false;
        }
        if (type == 28 && length >= 2) { // FU-A: the start of a fragmented IDR slice
            return (buf[payload + 1] & 0x80) != 0 && (buf[payload + 1] & 0x1f) == 5;
        }
        return false;
    }
}
