package org.huisclos.media.sdp;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A parsed SDP (RFC 8866): the session-level attributes and the media sections, kept as lines.
 * Only what the media node reads from a browser's answer has accessors; the rest is ignored.
 */
public final class SessionDescription {
    /** SDP from browsers is a few KiB; anything far larger is not an answer we made an offer for. */
    public static final int MAX_LENGTH = 256 * 1024;

    private final List<String> sessionAttributes;
    private final List<MediaSection> media;

    private SessionDescription(List<String> sessionAttributes, List<MediaSection> media) {
        this.sessionAttributes = sessionAttributes;
        this.media = media;
    }

    public static SessionDescription parse(String sdp) throws SdpException {
        if (sdp == null || sdp.isEmpty()) {
            throw new SdpException("empty SDP");
        }
        if (sdp.length() > MAX_LENGTH) {
            throw new SdpException("SDP longer than " + MAX_LENGTH + " characters");
        }
        List<String> session = new ArrayList<>();
        List<MediaSection> sections = new ArrayList<>();
        MediaSection current = null;
        boolean sawVersion = false;
        for (String raw : sdp.split("\r?\n")) {
            if (raw.isEmpty()) {
                continue;
            }
            if (raw.length() < 2 || raw.charAt(1) != '=') {
                throw new SdpException("malformed SDP line: not of the form <type>=<value>");
            }
            char type = raw.charAt(0);
            String value = raw.substring(2);
            if (type == 'v') {
                sawVersion = true;
            } else if (type == 'm') {
                current = MediaSection.fromMediaLine(value);
                sections.add(current);
            } else if (type == 'a') {
                if (current == null) {
                    session.add(value);
                } else {
                    current.attributes.add(value);
                }
            }
        }
        if (!sawVersion) {
            throw new SdpException("SDP without v= line");
        }
        return new SessionDescription(Collections.unmodifiableList(session), Collections.unmodifiableList(sections));
    }

    public List<MediaSection> media() {
        return media;
    }

    public MediaSection mediaByMid(String mid) {
        for (MediaSection m : media) {
            if (mid.equals(m.mid())) {
                return m;
            }
        }
        return null;
    }

    /** A session-level attribute's value ({@code a=name:value}), or null. */
    public String sessionAttribute(String name) {
        return MediaSection.attributeIn(sessionAttributes, name);
    }

    /** An attribute from the media level of the first section that has it, else the session level. */
    public String attribute(String name) {
        for (MediaSection m : media) {
            String v = m.attribute(name);
            if (v != null) {
                return v;
            }
        }
        return sessionAttribute(name);
    }
}
