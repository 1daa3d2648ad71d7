package org.huisclos.media.sdp;

import java.util.ArrayList;
import java.util.List;

/** One m= section of a parsed SDP. */
public final class MediaSection {
    private final String kind;
    private final int port;
    private final List<Integer> formats;
    final List<String> attributes = new ArrayList<>();

    private MediaSection(String kind, int port, List<Integer> formats) {
        this.kind = kind;
        this.port = port;
        this.formats = formats;
    }

    static MediaSection fromMediaLine(String value) throws SdpException {
        String[] parts = value.split(" ");
        if (parts.length < 3) {
            throw new SdpException("malformed m= line");
        }
        try {
            String portField = parts[1]; // port, or port/number of ports
            int slash = portField.indexOf('/');
            int port = Integer.parseInt(slash < 0 ? portField : portField.substring(0, slash));
            List<Integer> formats = new ArrayList<>();
            for (int i = 3; i < parts.length; i++) {
                formats.add(Integer.parseInt(parts[i]));
            }
            return new MediaSection(parts[0], port, formats);
        } catch (NumberFormatException e) {
            throw new SdpException("malformed m= line: port or payload type is not a number");
        }
    }

    /** "audio" or "video" (or anything else the peer put there). */
    public String kind() {
        return kind;
    }

    /** Port 0 means the answerer rejected the section. */
    public boolean rejected() {
        return port == 0;
    }

    /** Payload types in the answerer's order of preference. */
    public List<Integer> formats() {
        return formats;
    }

    public String mid() {
        return attribute("mid");
    }

    /** sendrecv, sendonly, recvonly or inactive (sendrecv when absent, RFC 8866 §6.7). */
    public String direction() {
        for (String a : attributes) {
            if (a.equals("sendrecv") || a.equals("sendonly") || a.equals("recvonly") || a.equals("inactive")) {
                return a;
            }
        }
        return "sendrecv";
    }

    public String attribute(String name) {
        return attributeIn(attributes, name);
    }

    public List<String> attributes(String name) {
        List<String> out = new ArrayList<>();
        String prefix = name + ":";
        for (String a : attributes) {
            if (a.startsWith(prefix)) {
                out.add(a.substring(prefix.length()));
            }
        }
        return out;
    }

    /** The codec name of a payload type from its a=rtpmap ("VP8", "opus", "rtx"…), or null. */
    public String codecOf(int payloadType) {
        String prefix = payloadType + " ";
        for (String map : attributes("rtpmap")) {
            if (map.startsWith(prefix)) {
                String encoding = map.substring(prefix.length());
                int slash = encoding.indexOf('/');
                return slash < 0 ? encoding : encoding.substring(0, slash);
            }
        }
        return null;
    }

    /**
     * The SSRCs the peer will send from, in a=ssrc order, and for FID groups (RFC 4588 §8) the
     * pair primary/retransmission.
     */
    public long[] fidGroup() {
        for (String g : attributes("ssrc-group")) {
            String[] parts = g.split(" ");
            if (parts.length == 3 && parts[0].equals("FID")) {
                long primary = ssrc(parts[1]);
                long retransmission = ssrc(parts[2]);
                return primary < 0 || retransmission < 0 ? null : new long[] {primary, retransmission};
            }
        }
        return null;
    }

    /** The first SSRC announced in an a=ssrc line, or -1. */
    public long firstSsrc() {
        for (String s : attributes("ssrc")) {
            int space = s.indexOf(' ');
            return ssrc(space < 0 ? s : s.substring(0, space));
        }
        return -1;
    }

    /** A decimal SSRC, 0..2^32-1 (RFC 5576), or -1 when the text is none (e.g. negative or above 32 bits). */
    private static long ssrc(String text) {
        try {
            long value = Long.parseLong(text);
            return value >= 0 && value <= 0xFFFF_FFFFL ? value : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    static String attributeIn(List<String> attributes, String name) {
        String prefix = name + ":";
        for (String a : attributes) {
            if (a.startsWith(prefix)) {
                return a.substring(prefix.length());
            }
            if (a.equals(name)) {
                return "";
            }
        }
        return null;
    }
}
