package org.huisclos.media.forward;

import java.util.ArrayList;
import java.util.List;
import org.huisclos.media.sdp.Codec;
import org.huisclos.media.sdp.OfferedSection;
import org.huisclos.media.sdp.PublisherAnswer;

/**
 * The offer/answer state of one endpoint (control thread only). The media node always offers;
 * one offer is outstanding at a time and changes made meanwhile go into the next one.
 */
public final class Negotiation {
    /** An m-line and, for a send-only one, the subscription it carries. */
    static final class Section {
        OfferedSection offered;
        Subscription subscription;

        Section(OfferedSection offered, Subscription subscription) {
            this.offered = offered;
            this.subscription = subscription;
        }
    }

    private final Endpoint endpoint;
    final List<Section> sections = new ArrayList<>();
    private int version;
    private int outstandingVersion = -1;
    private int outstandingSections;
    private boolean changedSinceOffer = true;
    private int nextMid;
    private boolean answeredOnce;

    Negotiation(Endpoint endpoint) {
        this.endpoint = endpoint;
        sections.add(new Section(OfferedSection.receive(PublisherAnswer.AUDIO_MID, "audio", Codec.AUDIO), null));
        sections.add(new Section(OfferedSection.receive(PublisherAnswer.VIDEO_MID, "video", Codec.VIDEO), null));
    }

    /** Asks the publisher for its video in simulcast layers {@code rids} (lowest first), from the next offer on. */
    void offerSimulcast(List<String> rids) {
        sections.get(1).offered = OfferedSection.receiveSimulcast(PublisherAnswer.VIDEO_MID, Codec.VIDEO, rids);
        changedSinceOffer = true;
    }

    /** The simulcast layers asked of the publisher (empty for none). */
    List<String> simulcastRids() {
        return sections.get(1).offered.simulcastRids();
    }

    /** The subscription carried on m-line {@code mid}, or null. */
    Subscription subscription(String mid) {
        for (Section s : sections) {
            if (s.subscription != null && s.subscription.mid.equals(mid)) {
                return s.subscription;
            }
        }
        return null;
    }

    Subscription addSubscription(PublishedStream stream) {
        String mid = "s" + nextMid++;
        Subscription sub = new Subscription(stream, endpoint, mid);
        sections.add(new Section(OfferedSection.send(mid, stream.kind, stream.codec, stream.ssrcUnsigned(),
                stream.rtxSsrcUnsigned(), stream.participantId, stream.trackId(), endpoint.bwe != null), sub));
        changedSinceOffer = true;
        return sub;
    }

    /** The stream has gone: its m-line stays (m-lines are never removed) but becomes inactive. */
    Subscription removeStream(PublishedStream stream) {
        for (Section s : sections) {
            if (s.subscription != null && s.subscription.stream == stream) {
                Subscription sub = s.subscription;
                s.offered = s.offered.inactive();
                s.subscription = null;
                changedSinceOffer = true;
                return sub;
            }
        }
        return null;
    }

    /** True when an offer should be made now: something changed and none is outstanding. */
    public boolean offerDue() {
        return changedSinceOffer && outstandingVersion < 0;
    }

    /** Starts a new offer: its version, with {@link #offeredSections()} as its m-lines. */
    public int beginOffer() {
        version++;
        outstandingVersion = version;
        outstandingSections = sections.size();
        changedSinceOffer = false;
        return version;
    }

    public List<OfferedSection> offeredSections() {
        List<OfferedSection> out = new ArrayList<>(sections.size());
        for (Section s : sections) {
            out.add(s.offered);
        }
        return out;
    }

    /** The subscriptions of the m-lines in the order offered (null where a line carries none). */
    public List<Subscription> sectionSubscriptions() {
        List<Subscription> out = new ArrayList<>(sections.size());
        for (Section s : sections) {
            out.add(s.subscription);
        }
        return out;
    }

    public int outstandingVersion() {
        return outstandingVersion;
    }

    /** The sections of the outstanding offer; marks it answered. */
    List<Section> completeOffer() {
        List<Section> answered = new ArrayList<>(sections.subList(0, outstandingSections));
        outstandingVersion = -1;
        return answered;
    }

    boolean answeredOnce() {
        return answeredOnce;
    }

    boolean firstAnswer() {
        boolean first = !answeredOnce;
        answeredOnce = true;
        return first;
    }
}
