package org.huisclos.media.rtp;

import static org.huisclos.media.rtp.Bytes.u16;

/** RFC 6184 H.264 payload: just enough to tell a forwarder where a decoder can start. */
public final class H264Payload {
    private static final int NAL_IDR = 5;
    private static final int NAL_SPS = 7;
    private static final int STAP_A = 24;
    private static final int FU_A = 28;

    private H264Payload() {
    }

    /**
     * True for a single NAL unit, an STAP-A aggregate containing one, or the first FU-A fragment of one,
     * whose type is IDR (5) or SPS (7). Senders put SPS/PPS right before the IDR, so either marks the
     * start of a key frame.
     */
    public static boolean isKeyframe(byte[] buf, int payloadOff, int payloadLen) {
        if (payloadLen < 1) {
            return false;
        }
        int type = buf[payloadOff] & 0x1F;
        if (type == STAP_A) {
            return stapAHasKeyframe(buf, payloadOff, payloadLen);
        }
        if (type == FU_A) {
            if (payloadLen < 2) {
                return false;
            }
            int fuHeader = buf[payloadOff + 1] & 0xFF;
            return (fuHeader & 0x80) != 0 && isKeyNal(fuHeader & 0x1F);
        }
        return isKeyNal(type);
    }

    private static boolean stapAHasKeyframe(byte[] buf, int payloadOff, int payloadLen) {
        int pos = payloadOff + 1;
        int end = payloadOff + payloadLen;
        while (pos + 2 < end) {
            int size = u16(buf, pos);
            pos += 2;
            if (size == 0 || pos + size > end) {
                return false;
            }
            if (isKeyNal(buf[pos] & 0x1F)) {
                return true;
            }
            pos += size;
        }
        return false;
    }

    private static boolean isKeyNal(int type) {
        return type == NAL_IDR || type == NAL_SPS;
    }
}
