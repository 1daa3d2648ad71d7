package org.huisclos.media.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.huisclos.media.srtp.SrtpContext;
import org.huisclos.media.srtp.SrtpProfile;
import org.huisclos.media.transport.DropCounters;
import org.huisclos.media.transport.DropReason;
import org.junit.jupiter.api.Test;

/**
 * SRTP from a relay link's address that does not authenticate (a spoofed source pretending to be
 * the peer node) is counted under its own reason, apart from participants' failures.
 */
class RelayDropTest {
    @Test
    void unauthenticatedSrtpOnALinkIsARelayDrop() {
        DropCounters drops = new DropCounters();
        Forwarder forwarder = new Forwarder(drops, new ForwardingCounters());
        Room room = new Room("r");
        Endpoint link = new Endpoint("relay:n2", room, true);
        Endpoint participant = new Endpoint("p", room);
        SrtpProfile profile = SrtpProfile.AEAD_AES_128_GCM;
        link.inbound = new SrtpContext(profile, new byte[profile.keyLength], new byte[profile.saltLength]);
        participant.inbound = new SrtpContext(profile, new byte[profile.keyLength], new byte[profile.saltLength]);
        // SSRC 7 is published on both (RTP of a stream nobody published is dropped before authentication).
        link.published = new PublishedStream[] {new PublishedStream(link, "video", 7, -1, org.huisclos.media.sdp.Codec.VP8)};
        participant.published = new PublishedStream[] {
            new PublishedStream(participant, "video", 7, -1, org.huisclos.media.sdp.Codec.VP8)};
        byte[] forged = new byte[80];
        forged[0] = (byte) 0x80;
        forged[1] = 96;
        forged[11] = 7;
        forwarder.onSrtp(link, forged.clone(), 0, forged.length);
        forged[1] = (byte) 200; // SRTCP (SR) with a bogus index and tag
        forwarder.onSrtp(link, forged.clone(), 0, forged.length);
        forged[1] = 96;
        forwarder.onSrtp(participant, forged.clone(), 0, forged.length);
        assertEquals(2, drops.count(DropReason.RELAY_SRTP_AUTH_FAILED));
        assertEquals(1, drops.count(DropReason.SRTP_AUTH_FAILED));
        assertEquals(3, drops.total());
    }
}
