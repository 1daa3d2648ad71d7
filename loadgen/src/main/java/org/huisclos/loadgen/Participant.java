package org.huisclos.loadgen;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.huisclos.contract.MediaCodec;
import org.huisclos.contract.MediaCommand;
import org.huisclos.contract.ParticipantMessage;
import org.huisclos.media.dtls.DtlsCertificate;
import org.huisclos.media.dtls.DtlsRole;
import org.huisclos.media.dtls.DtlsSession;
import org.huisclos.media.dtls.LoadgenDtls;
import org.huisclos.media.dtls.SrtpKeys;
import org.huisclos.media.peer.AnswerBuilder;
import org.huisclos.media.peer.Offer;
import org.huisclos.media.peer.StunRequests;
import org.huisclos.media.rtcp.RtcpIterator;
import org.huisclos.media.rtcp.RtcpPacket;
import org.huisclos.media.rtp.RtpPacket;
import org.huisclos.media.srtp.SrtpContext;
import org.huisclos.media.srtp.SrtpProfile;

/**
 * One synthetic participant of the load generator: the test peer's logic (ICE controlling, DTLS client,
 * SRTP) written for load. Its socket is read by the generator's one {@link Receiver} thread; its media is
 * sent by the generator's one sender thread. In plain mode (the relay floor) there is no signaling and no
 * crypto: the same RTP packets go out and come back as they are.
 *
 * <p>Every RTP packet it publishes ends with a 20-byte trailer: magic, publisher index, flags (1: inside
 * the measured window) and {@code System.nanoTime()} at sending. Subscribers count the measured packets
 * and record their latency.
 *
 * <p>Against Huisclos a participant is one connection that publishes and receives. Against Janus, where a
 * publisher and each subscription are separate peer connections, a person is two participants ("legs"): a
 * publishing leg that receives nothing and a receiving leg; {@link #person} ties them together.
 */
public final class Participant {
    static final int TRAILER = 20;
    static final int MAGIC = 0x48434c42; // "HCLB"
    /**
     * Received SRTP packets are authenticated and decrypted one in this many (by sequence number,
     * which SRTP leaves in the clear), for their send timestamps; the others are only counted from
     * their clear RTP header. Decrypting every packet on the generator's one core would make the
     * generator, not the node, the limit of a ramp. Set once, before a run (--decrypt-every).
     */
    static volatile int decryptOneIn = 8;
    private static final SecureRandom RANDOM = new SecureRandom();

    final int index;
    /** The person this connection belongs to: the index of its publishing leg, or its own index. */
    final int person;
    /** Whether media of the room's other publishers is expected on this connection. */
    final boolean receives;
    final String id;
    final String room;
    final boolean publisher;
    final DatagramChannel channel;
    private final boolean plain;
    private final int audioSsrc = RANDOM.nextInt();
    private final int videoSsrc = RANDOM.nextInt();
    private final String ufrag = randomString(8);
    private final String pwd = randomString(24);

    // signaling (node-control reader thread) and connection
    private final java.util.List<Offer> offers = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final AtomicLong answered = new AtomicLong();
    private final AtomicLong answerErrors = new AtomicLong();
    private volatile InetSocketAddress server;
    private volatile StunRequests stun;
    private volatile IceResponder responder;
    private volatile DtlsSession dtls;
    private volatile SrtpContext inbound;
    private SrtpContext outbound; // sender thread after connect
    volatile long joinMillis = -1;

    // publishing (sender thread)
    private final SyntheticMedia media;
    final AtomicLong measuredSent;
    /** Measured packets whose sequence number makes receivers decrypt and time them: expected for loss. */
    final AtomicLong sampledSent;
    final AtomicLong keyframesSent;
    final AtomicLong plis = new AtomicLong();

    // receiving (receiver thread; read after the run)
    final Histogram latencyMicros = new Histogram(10_000_000L, 3);
    long measuredReceived;
    /** Measured packets received per watched publisher (the soak's loss per pair). */
    final PairCounts fromPublishers = new PairCounts();
    long received;
    long srtpFailures;

    Participant(int index, String room, boolean publisher, boolean plain) throws IOException {
        this(index, index, room, publisher, true, plain);
    }

    Participant(int index, int person, String room, boolean publisher, boolean receives, boolean plain)
            throws IOException {
        this.index = index;
        this.person = person;
        this.receives = receives;
        this.id = "p" + index + "-" + randomString(6);
        this.room = room;
        this.publisher = publisher;
        this.plain = plain;
        this.media = new SyntheticMedia(index, audioSsrc, videoSsrc, seq -> sampled(seq), this::protectAndSend);
        this.measuredSent = media.measuredSent;
        this.sampledSent = media.sampledSent;
        this.keyframesSent = media.keyframesSent;
        this.channel = DatagramChannel.open();
        channel.bind(NodeMain.loopback(0));
        channel.setOption(java.net.StandardSocketOptions.SO_RCVBUF, 1 << 20);
        channel.setOption(java.net.StandardSocketOptions.SO_SNDBUF, 1 << 20);
    }

    int port() throws IOException {
        return ((InetSocketAddress) channel.getLocalAddress()).getPort();
    }

    /** Plain mode: media goes to the relay. */
    void target(InetSocketAddress relay) {
        server = relay;
    }

    // --- signaling, ICE, DTLS ---

    /** Allocates, answers the first offer, then ICE and DTLS; returns when SRTP keys are there. */
    void join(NodeClient node, DtlsCertificate certificate, SrtpProfile profile, ExecutorService dtlsPool,
              long timeoutMillis) throws Exception {
        long start = System.nanoTime();
        long deadline = start + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        AnswerBuilder answers = new AnswerBuilder(ufrag, pwd, certificate.fingerprint(), id, audioSsrc, videoSsrc,
                RANDOM.nextInt());
        node.listen(id, msg -> onMessage(node, answers, msg));
        NodeClient.await(node.request(id, MediaCodec.encode(new MediaCommand.Allocate(room, id))));
        while (answered.get() < 1) {
            check(deadline, "answering the first offer");
            Thread.sleep(2);
        }
        Offer first = offers.get(0);
        connect(new Remote(first.candidate(), first.attribute("ice-ufrag"), first.attribute("ice-pwd"),
                first.attribute("fingerprint")), DtlsRole.CLIENT, false, certificate, profile, dtlsPool, deadline);
        joinMillis = (System.nanoTime() - start) / 1_000_000;
    }

    /**
     * The ICE and DTLS parameters of the server end of a connection.
     *
     * @param fingerprint as in SDP: {@code sha-256 AB:CD:…}
     */
    record Remote(InetSocketAddress address, String ufrag, String pwd, String fingerprint) {
    }

    /**
     * ICE as the controlling agent (checks with USE-CANDIDATE until one succeeds; checks from the server are
     * answered), then DTLS in {@code role}; returns when SRTP keys are there. With {@code awaitServerCheck} a
     * DTLS client first waits (up to 1 s) until it has answered a check of the server: Janus drops DTLS that
     * arrives before its own check succeeded, which would cost a 1 s retransmission.
     */
    void connect(Remote remote, DtlsRole role, boolean awaitServerCheck, DtlsCertificate certificate,
                 SrtpProfile profile, ExecutorService dtlsPool, long deadline) throws Exception {
        server = remote.address();
        responder = new IceResponder(ufrag, pwd);
        stun = new StunRequests(remote.ufrag(), ufrag, remote.pwd());
        // A DTLS server must exist before the client's first flight arrives, which may be right after ICE.
        String fingerprint = remote.fingerprint().substring(remote.fingerprint().indexOf(' ') + 1);
        DtlsSession session = LoadgenDtls.session(certificate, fingerprint,
                (buf, off, len) -> send(Arrays.copyOfRange(buf, off, off + len)), role, profile);
        if (role == DtlsRole.SERVER) {
            dtls = session;
        }
        while (stun.successes() == 0) {
            check(deadline, "a STUN success response");
            send(stun.request(true));
            long wait = System.nanoTime() + 50_000_000L;
            while (stun.successes() == 0 && System.nanoTime() - wait < 0) {
                Thread.sleep(1);
            }
        }
        if (awaitServerCheck && role == DtlsRole.CLIENT) {
            long wait = System.nanoTime() + 1_000_000_000L;
            while (responder.answered() == 0 && System.nanoTime() - wait < 0) {
                Thread.sleep(1);
            }
        }
        dtls = session;
        SrtpKeys keys = session.start(dtlsPool).get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        inbound = new SrtpContext(keys.profile(), keys.remoteKey(), keys.remoteSalt());
        outbound = new SrtpContext(keys.profile(), keys.localKey(), keys.localSalt());
    }

    String ufrag() {
        return ufrag;
    }

    String pwd() {
        return pwd;
    }

    int audioSsrc() {
        return audioSsrc;
    }

    int videoSsrc() {
        return videoSsrc;
    }

    private static void check(long deadline, String what) {
        if (System.nanoTime() - deadline > 0) {
            throw new IllegalStateException("timed out waiting for " + what);
        }
    }

    private void onMessage(NodeClient node, AnswerBuilder answers, JsonObject body) {
        if (!ParticipantMessage.OFFER.equals(body.getString(ParticipantMessage.TYPE))) {
            return;
        }
        try {
            Offer offer = Offer.from(body);
            offers.add(offer);
            node.request(id, MediaCodec.encode(new MediaCommand.Answer(id, offer.version(), answers.answer(offer))))
                    .whenComplete((r, e) -> {
                        if (e != null) {
                            answerErrors.incrementAndGet();
                        } else {
                            answered.accumulateAndGet(offer.version(), Math::max);
                        }
                    });
        } catch (Exception e) {
            answerErrors.incrementAndGet();
        }
    }

    /** Whether the latest offer the node sent has been answered. */
    boolean settled() {
        return plain || (!offers.isEmpty() && answered.get() >= offers.get(offers.size() - 1).version());
    }

    long answerErrors() {
        return answerErrors.get();
    }

    void consent() {
        StunRequests s = stun;
        if (s != null) {
            send(s.request(true));
        }
    }

    void send(byte[] datagram) {
        send(ByteBuffer.wrap(datagram));
    }

    private void send(ByteBuffer b) {
        InetSocketAddress to = server;
        if (to == null) {
            return;
        }
        try {
            channel.send(b, to);
        } catch (IOException e) {
            // lost, as UDP
        }
    }

    // --- publishing (sender thread only) ---

    /** One Opus-like packet (20 ms, ~100 bytes). */
    void sendAudio(byte[] buf, boolean measured) {
        media.audio(buf, measured);
    }

    /** One VP8-like frame of {@code packets} packets of {@code payload} bytes; a key frame after a PLI. */
    void sendVideoFrame(byte[] buf, int packets, int payload, boolean measured) {
        media.videoFrame(buf, packets, payload, measured);
    }

    /** Sends the clear RTP packet in {@code buf[0..n)}, SRTP-protected unless plain; before the keys, nothing. */
    private void protectAndSend(byte[] buf, int n) {
        if (!plain) {
            SrtpContext out = outbound;
            if (out == null) {
                return;
            }
            n = out.protectRtp(buf, 0, n);
            if (n < 0) {
                return;
            }
        }
        send(ByteBuffer.wrap(buf, 0, n));
    }

    // --- receiving (receiver thread only) ---

    void onDatagram(byte[] buf, int len) {
        int first = len > 0 ? buf[0] & 0xff : -1;
        if (first >= 0 && first <= 3) {
            IceResponder r = responder;
            if (r != null && IceResponder.isBindingRequest(buf, len)) {
                byte[] response = r.answer(buf, 0, len, server);
                if (response != null) {
                    send(response);
                }
                return;
            }
            StunRequests s = stun;
            if (s != null) {
                s.onDatagram(buf, 0, len);
            }
        } else if (first >= 20 && first <= 63) {
            DtlsSession d = dtls;
            if (d != null) {
                d.offer(buf, 0, len);
            }
        } else if (first >= 128 && first <= 191) {
            if (plain) {
                onRtp(buf, len);
                return;
            }
            SrtpContext in = inbound;
            if (in == null) {
                return;
            }
            if (RtpPacket.isRtcp(buf, 0, len)) {
                int n = in.unprotectRtcp(buf, 0, len);
                if (n < 0) {
                    srtpFailures++;
                    return;
                }
                RtcpIterator it = new RtcpIterator().reset(buf, 0, n);
                while (it.next()) {
                    if (it.packetType() == RtcpPacket.PSFB && it.fmt() == RtcpPacket.FMT_PLI) {
                        plis.incrementAndGet();
                        media.keyframeNext();
                    }
                }
            } else {
                if (len >= 12 && !sampled(RtpPacket.sequenceNumber(buf, 0))) {
                    received++; // counted from its clear header; not timed
                    return;
                }
                int n = in.unprotectRtp(buf, 0, len);
                if (n < 0) {
                    srtpFailures++;
                    return;
                }
                onRtp(buf, n);
            }
        }
    }

    /** Whether receivers decrypt and time the packet with this sequence number (always without SRTP). */
    private boolean sampled(int seq) {
        int every = decryptOneIn;
        return plain || every <= 1 || seq % every == 0;
    }

    private void onRtp(byte[] buf, int n) {
        long now = System.nanoTime();
        received++;
        int t = n - TRAILER;
        if (t < 12 || SyntheticMedia.getInt(buf, t) != MAGIC) {
            return;
        }
        if (SyntheticMedia.getInt(buf, t + 8) == 1) {
            measuredReceived++;
            fromPublishers.count(SyntheticMedia.getInt(buf, t + 4));
            long micros = Math.max(0, (now - SyntheticMedia.getLong(buf, t + 12)) / 1000);
            latencyMicros.recordValue(Math.min(micros, latencyMicros.getHighestTrackableValue()));
        }
    }

    void close() {
        DtlsSession d = dtls;
        if (d != null) {
            d.close();
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    private static String randomString(int length) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return sb.toString();
    }
}
