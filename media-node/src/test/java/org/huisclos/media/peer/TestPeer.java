package org.huisclos.media.peer;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.huisclos.contract.Addresses;
import org.huisclos.contract.MediaCodec;
import org.huisclos.contract.MediaCommand;
import org.huisclos.contract.MediaRequest;
import org.huisclos.contract.ParticipantMessage;
import org.huisclos.media.dtls.DtlsCertificate;
import org.huisclos.media.dtls.DtlsRole;
import org.huisclos.media.dtls.DtlsSession;
import org.huisclos.media.dtls.SrtpKeys;
import org.huisclos.media.rtcp.Nack;
import org.huisclos.media.rtcp.RtcpPacket;
import org.huisclos.media.rtp.RtpPacket;
import org.huisclos.media.srtp.SrtpContext;
import org.huisclos.media.srtp.SrtpProfile;

/**
 * A synthetic participant, standing in for a browser: it allocates an endpoint over the event bus,
 * answers every offer the media node sends it, runs ICE (as the controlling agent) and the DTLS
 * handshake (as the client) against the node's UDP port on 127.0.0.1, then sends and receives
 * SRTP/SRTCP. In {@linkplain #overTcp TCP mode} it does all of that over one ICE-TCP connection
 * (RFC 6544, RFC 4571 framing) to the node's passive TCP candidate instead. See {@link StunRequests}, {@link AnswerBuilder}, {@link RtpSource} and {@link ReceivedMedia}.
 */
public final class TestPeer implements AutoCloseable {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final long CONSENT_INTERVAL_MS = 2000;
    private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(5);
    /** As a signaling instance asks: replies within MediaRequest.TIMEOUT_MS or the request fails. */
    private static final io.vertx.core.eventbus.DeliveryOptions REQUEST_OPTIONS =
            new io.vertx.core.eventbus.DeliveryOptions().setSendTimeout(MediaRequest.TIMEOUT_MS);

    public final String participantId;
    public final String room;
    public final int audioSsrc = RANDOM.nextInt();
    public final int videoSsrc = RANDOM.nextInt();
    public final int rtxSsrc = RANDOM.nextInt();
    private final Vertx vertx;
    private final String nodeAddress;
    private final String ufrag = randomString(8);
    private final String pwd = randomString(24);
    private final DtlsCertificate certificate = DtlsCertificate.generate();
    /** What the peer shows in the DTLS handshake: its own certificate, unless a test swaps in another. */
    private volatile DtlsCertificate handshakeCertificate = certificate;
    private final List<JsonObject> mediaFailures = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final List<String> speakers = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final AnswerBuilder answers;
    private final DatagramChannel channel;
    private final Thread receiver;
    private final ExecutorService dtlsWorker = Executors.newCachedThreadPool(daemon("peer-dtls"));
    private final ScheduledExecutorService consent = Executors.newSingleThreadScheduledExecutor(daemon("peer-consent"));
    private final List<Offer> offers = new CopyOnWriteArrayList<>();
    private final List<String> answerErrors = new CopyOnWriteArrayList<>();
    private final AtomicLong answeredVersion = new AtomicLong();
    private final java.util.concurrent.atomic.AtomicReference<java.util.function.UnaryOperator<String>> spoilNextAnswer =
            new java.util.concurrent.atomic.AtomicReference<>();
    private final List<String> refusedAnswers = new CopyOnWriteArrayList<>();
    private final ReceivedMedia received = new ReceivedMedia();
    private final RtpSource audio;
    private final RtpSource video;
    private final AtomicBoolean keyframeRequested = new AtomicBoolean(true);
    private final AtomicLong unreadable = new AtomicLong();
    private final Object sendLock = new Object();
    private final byte[] sendBuffer = new byte[2048];
    private MessageConsumer<JsonObject> consumer;
    private volatile boolean closed;
    private volatile boolean joined;
    private volatile InetSocketAddress server;
    private volatile StunRequests stun;
    private volatile DtlsSession dtls;
    private volatile SrtpContext inbound;
    private SrtpContext outbound; // under sendLock
    private volatile SrtpProfile profile;
    private volatile byte[] lastSent;
    private volatile long stunMillis = -1;
    private volatile long dtlsMillis = -1;
    /** TCP mode: the ICE-TCP connection to the node's passive candidate (opened by connectIce). */
    private final boolean tcp;
    private volatile java.nio.channels.SocketChannel tcpChannel;
    private volatile Thread tcpReceiver;
    private final Object tcpWriteLock = new Object();

    public TestPeer(Vertx vertx, String nodeId, String room, String participantId) throws IOException {
        this(vertx, nodeId, room, participantId, false, List.of());
    }

    /**
     * A peer that answers the node's video publish line with simulcast layers {@code rids} (lowest first)
     * as Chromium does, without SSRCs; its video goes out through a {@link SimulcastPublisher}.
     */
    static TestPeer simulcast(Vertx vertx, String nodeId, String room, String participantId, List<String> rids)
            throws IOException {
        return new TestPeer(vertx, nodeId, room, participantId, false, rids);
    }

    /** A peer that reaches the node over ICE-TCP only (its UDP socket stays unused). */
    public static TestPeer overTcp(Vertx vertx, String nodeId, String room, String participantId) throws IOException {
        return new TestPeer(vertx, nodeId, room, participantId, true, List.of());
    }

    private TestPeer(Vertx vertx, String nodeId, String room, String participantId, boolean tcp, List<String> videoRids)
            throws IOException {
        this.tcp = tcp;
        this.vertx = vertx;
        this.nodeAddress = Addresses.mediaNode(nodeId);
        this.room = room;
        this.participantId = participantId;
        this.answers = new AnswerBuilder(ufrag, pwd, certificate.fingerprint(), participantId, audioSsrc, videoSsrc,
                rtxSsrc, videoRids);
        this.audio = new RtpSource("audio", audioSsrc, AnswerBuilder.OPUS_PT, 960, RANDOM.nextInt(), RANDOM.nextInt());
        this.video = new RtpSource("video", videoSsrc, AnswerBuilder.VP8_PT, 3000, RANDOM.nextInt(), RANDOM.nextInt());
        this.channel = DatagramChannel.open();
        channel.bind(new InetSocketAddress("127.0.0.1", 0));
        this.receiver = new Thread(this::receiveLoop, "peer-rx-" + participantId);
        receiver.setDaemon(true);
        receiver.start();
    }

    // --- signaling ---

    /** Allocates the endpoint and answers the first offer; later offers are answered as they come. */
    public void join() {
        consumer = vertx.eventBus().consumer(Addresses.participant(participantId), this::onMessage);
        await(consumer.completion());
        await(vertx.eventBus().request(nodeAddress, new JsonObject()
                .put(MediaRequest.ACTION, MediaRequest.ALLOCATE)
                .put(MediaRequest.ROOM, room)
                .put(MediaRequest.PARTICIPANT, participantId), REQUEST_OPTIONS));
        joined = true;
        Await.until(REPLY_TIMEOUT.multipliedBy(2), () -> answeredVersion.get() >= 1 || !answerErrors.isEmpty(),
                () -> participantId + " answering its first offer");
        if (!answerErrors.isEmpty()) {
            throw new AssertionError(participantId + ": first answer refused: " + answerErrors);
        }
    }

    /**
     * Tells the node how this participant shows the videos it receives, as signaling relays the page's
     * {@code view} message: per m-line (mid) the rendered height in pixels, 0 for not shown.
     */
    public void sendView(java.util.Map<String, Integer> heights) {
        await(vertx.eventBus().request(nodeAddress,
                MediaCodec.encode(new MediaCommand.View(participantId, heights)), REQUEST_OPTIONS));
    }

    /** Releases the endpoint (the participant leaves the room). */
    public void leave() {
        if (joined) {
            joined = false;
            await(vertx.eventBus().request(nodeAddress, new JsonObject()
                    .put(MediaRequest.ACTION, MediaRequest.RELEASE)
                    .put(MediaRequest.PARTICIPANT, participantId), REQUEST_OPTIONS));
        }
    }

    private void onMessage(Message<JsonObject> msg) {
        JsonObject body = msg.body();
        if (ParticipantMessage.SPEAKER.equals(body.getString(ParticipantMessage.TYPE))) {
            speakers.add(body.getString(ParticipantMessage.PARTICIPANT));
            return;
        }
        if (ParticipantMessage.MEDIA_FAILED.equals(body.getString(ParticipantMessage.TYPE))) {
            joined = false; // the node released the endpoint itself
            mediaFailures.add(body);
            return;
        }
        if (!ParticipantMessage.OFFER.equals(body.getString(ParticipantMessage.TYPE))) {
            return;
        }
        Offer offer;
        try {
            offer = Offer.from(body);
        } catch (Exception e) {
            answerErrors.add("unreadable offer: " + e);
            return;
        }
        offers.add(offer);
        String sdp = answers.answer(offer);
        java.util.function.UnaryOperator<String> spoil = spoilNextAnswer.getAndSet(null);
        if (spoil == null) {
            sendAnswer(offer, sdp).onFailure(e -> answerErrors.add("answer " + offer.version() + ": " + e.getMessage()));
        } else {
            // What a client does after a bad-answer error: fix its description and answer again.
            sendAnswer(offer, spoil.apply(sdp)).onFailure(e -> {
                refusedAnswers.add(e.getMessage());
                sendAnswer(offer, sdp).onFailure(e2 -> answerErrors.add("answer " + offer.version() + ": " + e2.getMessage()));
            }).onSuccess(r -> answerErrors.add("spoiled answer " + offer.version() + " was accepted"));
        }
    }

    private Future<Message<JsonObject>> sendAnswer(Offer offer, String sdp) {
        return vertx.eventBus().<JsonObject>request(nodeAddress, new JsonObject()
                .put(MediaRequest.ACTION, MediaRequest.ANSWER)
                .put(MediaRequest.PARTICIPANT, participantId)
                .put(MediaRequest.VERSION, offer.version())
                .put(MediaRequest.SDP, sdp), REQUEST_OPTIONS)
                .onSuccess(reply -> answeredVersion.accumulateAndGet(offer.version(), Math::max));
    }

    /**
     * The next answer goes out spoiled by {@code spoil}; when the node refuses it, the peer answers the
     * same offer again with the correct description. Refusals are kept in {@link #refusedAnswers()}.
     */
    public void spoilNextAnswer(java.util.function.UnaryOperator<String> spoil) {
        spoilNextAnswer.set(spoil);
    }

    /** The DTLS handshake will present a certificate other than the one the answer's fingerprint names. */
    public void presentAnotherCertificate() {
        handshakeCertificate = DtlsCertificate.generate();
    }

    /** media-failed messages the node sent this participant. */
    /** The speakers the node announced to this participant, in order. */
    public List<String> speakers() {
        return List.copyOf(speakers);
    }

    /** Audio packets from now on carry this level (RFC 6464, 0 loudest .. 127 silence); -1: none. */
    public void audioLevel(int level) {
        audio.audioLevel = level;
    }

    public List<JsonObject> mediaFailures() {
        return List.copyOf(mediaFailures);
    }

    public List<String> refusedAnswers() {
        return List.copyOf(refusedAnswers);
    }

    // --- ICE and DTLS ---

    /** ICE (until a signed Binding success), then the DTLS handshake as client, then SRTP contexts. */
    public void connect(Duration timeout) throws Exception {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        connectIce(timeout);
        dtls = new DtlsSession(handshakeCertificate, firstOffer().attribute("fingerprint").substring("sha-256 ".length()),
                (buf, off, len) -> send(Arrays.copyOfRange(buf, off, off + len)), DtlsRole.CLIENT);
        SrtpKeys keys = dtls.start(dtlsWorker).get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        profile = keys.profile();
        inbound = new SrtpContext(keys.profile(), keys.remoteKey(), keys.remoteSalt());
        synchronized (sendLock) {
            outbound = new SrtpContext(keys.profile(), keys.localKey(), keys.localSalt());
        }
        dtlsMillis = (System.nanoTime() - start) / 1_000_000;
    }

    /** ICE only: Binding requests with USE-CANDIDATE until one is answered; then consent every 2 s. */
    public void connectIce(Duration timeout) {
        long start = System.nanoTime();
        Offer first = firstOffer();
        if (tcp) {
            openTcp(first);
        } else {
            server = first.candidate();
        }
        stun = new StunRequests(first.attribute("ice-ufrag"), ufrag, first.attribute("ice-pwd"));
        long deadline = start + timeout.toNanos();
        while (stun.successes() == 0) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError(participantId + ": no STUN success response within " + timeout);
            }
            send(stun.request(true));
            long wait = System.nanoTime() + 50_000_000L;
            while (stun.successes() == 0 && System.nanoTime() - wait < 0) {
                Await.pause(2);
            }
        }
        stunMillis = (System.nanoTime() - start) / 1_000_000;
        consent.scheduleAtFixedRate(() -> {
            if (!closed) {
                send(stun.request(true));
            }
        }, CONSENT_INTERVAL_MS, CONSENT_INTERVAL_MS, TimeUnit.MILLISECONDS);
    }

    // --- media out ---

    /** Sends the next RTP packet of {@code kind} ("audio" or "video"), SRTP-protected; returns its sequence number. */
    public int sendRtp(String kind) {
        return sendRtp(kind, false);
    }

    /** As {@link #sendRtp}, but with the last byte of the tag flipped so that it cannot authenticate. */
    public int sendCorruptedRtp(String kind) {
        return sendRtp(kind, true);
    }

    private int sendRtp(String kind, boolean corrupt) {
        RtpSource source = source(kind);
        byte[] datagram;
        int seq;
        synchronized (sendLock) {
            if (outbound == null) {
                throw new IllegalStateException(participantId + " is not connected");
            }
            seq = source.nextSeq();
            int len = source.next(sendBuffer, kind.equals("video") && keyframeRequested.getAndSet(false));
            int n = outbound.protectRtp(sendBuffer, 0, len);
            if (n < 0) {
                throw new IllegalStateException("SRTP protect failed: " + n);
            }
            datagram = Arrays.copyOf(sendBuffer, n);
        }
        if (corrupt) {
            datagram[datagram.length - 1] ^= 0x5a;
        } else {
            lastSent = datagram;
        }
        send(datagram);
        return seq;
    }

    /**
     * Sends an authentic SRTP packet (sequence number {@code seq}, a 100-byte payload) under {@code ssrc},
     * published or not: what a participant holding its own keys can send.
     */
    public void sendRtpAs(int ssrc, int seq) {
        byte[] datagram;
        synchronized (sendLock) {
            Arrays.fill(sendBuffer, 0, 112, (byte) 0);
            sendBuffer[0] = (byte) 0x80;
            sendBuffer[1] = (byte) 96;
            sendBuffer[2] = (byte) (seq >>> 8);
            sendBuffer[3] = (byte) seq;
            writeSsrc(sendBuffer, 8, ssrc);
            int n = outbound.protectRtp(sendBuffer, 0, 112);
            if (n < 0) {
                throw new IllegalStateException("SRTP protect failed: " + n);
            }
            datagram = Arrays.copyOf(sendBuffer, n);
        }
        send(datagram);
    }

    /**
     * SRTP- or SRTCP-protects ({@code rtcp}) the plaintext packet {@code packet[0..len)} (left as it is) and
     * sends it.
     */
    void sendProtected(byte[] packet, int len, boolean rtcp) {
        byte[] datagram;
        synchronized (sendLock) {
            System.arraycopy(packet, 0, sendBuffer, 0, len);
            int n = rtcp ? outbound.protectRtcp(sendBuffer, 0, len) : outbound.protectRtp(sendBuffer, 0, len);
            if (n < 0) {
                throw new IllegalStateException("SRTP protect failed: " + n);
            }
            datagram = Arrays.copyOf(sendBuffer, n);
        }
        send(datagram);
    }

    /** Sends an authentic SRTCP receiver report (no report blocks) from {@code ssrc}. */
    public void sendReportAs(int ssrc) {
        byte[] datagram;
        synchronized (sendLock) {
            Arrays.fill(sendBuffer, 0, 8, (byte) 0);
            sendBuffer[0] = (byte) 0x80;
            sendBuffer[1] = (byte) 201;
            sendBuffer[3] = 1; // length in words minus one
            writeSsrc(sendBuffer, 4, ssrc);
            int n = outbound.protectRtcp(sendBuffer, 0, 8);
            if (n < 0) {
                throw new IllegalStateException("SRTCP protect failed: " + n);
            }
            datagram = Arrays.copyOf(sendBuffer, n);
        }
        send(datagram);
    }

    private static void writeSsrc(byte[] b, int at, int ssrc) {
        b[at] = (byte) (ssrc >>> 24);
        b[at + 1] = (byte) (ssrc >>> 16);
        b[at + 2] = (byte) (ssrc >>> 8);
        b[at + 3] = (byte) ssrc;
    }

    /** Sends a plain, unprotected RTP packet (what a broken client sending before DTLS would do). */
    public int sendPlainRtp(String kind) {
        RtpSource source = source(kind);
        synchronized (sendLock) {
            int seq = source.nextSeq();
            int len = source.next(sendBuffer, false);
            send(Arrays.copyOf(sendBuffer, len));
            return seq;
        }
    }

    /** Sends the last correctly protected RTP datagram again, byte for byte. */
    public void replayLastRtp() {
        byte[] last = lastSent;
        if (last == null) {
            throw new IllegalStateException("nothing sent yet");
        }
        send(last);
    }

    /** Sends a generic NACK (RFC 4585) for {@code seqs} of media SSRC {@code ssrc}. */
    public void sendNack(int ssrc, int... seqs) {
        byte[] datagram;
        synchronized (sendLock) {
            int len = Nack.write(sendBuffer, 0, videoSsrc, ssrc, seqs, seqs.length);
            int n = outbound.protectRtcp(sendBuffer, 0, len);
            if (n < 0) {
                throw new IllegalStateException("SRTCP protect failed: " + n);
            }
            datagram = Arrays.copyOf(sendBuffer, n);
        }
        send(datagram);
    }

    /** Sends a PLI (RFC 4585 §6.3.1) asking for a keyframe of media SSRC {@code ssrc}. */
    public void sendPli(int ssrc) {
        byte[] datagram;
        synchronized (sendLock) {
            int len = RtcpPacket.writePli(sendBuffer, 0, videoSsrc, ssrc);
            int n = outbound.protectRtcp(sendBuffer, 0, len);
            if (n < 0) {
                throw new IllegalStateException("SRTCP protect failed: " + n);
            }
            datagram = Arrays.copyOf(sendBuffer, n);
        }
        send(datagram);
    }

    /** The plaintext of the RTP packet this peer sent with {@code seq} on {@code kind}'s stream. */
    public byte[] sent(String kind, int seq) {
        return source(kind).sent(seq);
    }

    private RtpSource source(String kind) {
        return switch (kind) {
            case "audio" -> audio;
            case "video" -> video;
            default -> throw new IllegalArgumentException(kind);
        };
    }

    private void openTcp(Offer offer) {
        InetSocketAddress to = offer.tcpCandidate();
        if (to == null) {
            throw new AssertionError(participantId + ": the offer has no passive TCP candidate");
        }
        try {
            java.nio.channels.SocketChannel ch = java.nio.channels.SocketChannel.open(to);
            ch.setOption(java.net.StandardSocketOptions.TCP_NODELAY, true);
            tcpChannel = ch;
            server = to;
        } catch (IOException e) {
            throw new AssertionError(participantId + ": cannot connect to the ICE-TCP candidate " + to + ": " + e, e);
        }
        tcpReceiver = new Thread(this::tcpReceiveLoop, "peer-tcp-rx-" + participantId);
        tcpReceiver.setDaemon(true);
        tcpReceiver.start();
    }

    /** Reads RFC 4571 frames: a 2-byte length, then the packet. */
    private void tcpReceiveLoop() {
        ByteBuffer header = ByteBuffer.allocate(2);
        ByteBuffer body = ByteBuffer.allocate(65536);
        java.nio.channels.SocketChannel ch = tcpChannel;
        while (!closed) {
            try {
                header.clear();
                if (!readFully(ch, header)) {
                    return;
                }
                int len = header.getShort(0) & 0xffff;
                body.clear().limit(len);
                if (!readFully(ch, body)) {
                    return;
                }
                onDatagram(body.array(), len);
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException | RuntimeException e) {
                if (!closed) {
                    unreadable.incrementAndGet();
                }
                return;
            }
        }
    }

    private static boolean readFully(java.nio.channels.SocketChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            if (ch.read(b) < 0) {
                return false;
            }
        }
        return true;
    }

    /** TCP mode: whether the node closed the ICE-TCP connection. */
    public boolean tcpOpen() {
        java.nio.channels.SocketChannel ch = tcpChannel;
        Thread t = tcpReceiver;
        return ch != null && ch.isOpen() && t != null && t.isAlive();
    }

    /** Sends raw bytes from this peer's socket to the node (framed on the ICE-TCP connection in TCP mode). */
    public void send(byte[] datagram) {
        if (tcp) {
            java.nio.channels.SocketChannel ch = tcpChannel;
            if (ch == null || closed) {
                return;
            }
            ByteBuffer framed = ByteBuffer.allocate(2 + datagram.length);
            framed.putShort((short) datagram.length).put(datagram).flip();
            synchronized (tcpWriteLock) {
                try {
                    while (framed.hasRemaining()) {
                        ch.write(framed);
                    }
                } catch (IOException e) {
                    // the node closed the connection: lost
                }
            }
            return;
        }
        InetSocketAddress to = server;
        if (to == null || closed) {
            return;
        }
        try {
            channel.send(ByteBuffer.wrap(datagram), to);
        } catch (IOException e) {
            // as UDP: lost
        }
    }

    // --- media in ---

    private void receiveLoop() {
        ByteBuffer buffer = ByteBuffer.allocate(2048);
        byte[] buf = buffer.array();
        while (!closed) {
            try {
                buffer.clear();
                if (channel.receive(buffer) == null) {
                    continue;
                }
                onDatagram(buf, buffer.position());
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException | RuntimeException e) {
                if (!closed) {
                    unreadable.incrementAndGet();
                }
            }
        }
    }

    private void onDatagram(byte[] buf, int len) {
        int first = len > 0 ? buf[0] & 0xff : -1;
        if (first >= 0 && first <= 3) {
            StunRequests s = stun;
            if (s != null) {
                s.onDatagram(buf, 0, len);
            }
        } else if (first >= 20 && first <= 63) {
            DtlsSession d = dtls;
            if (d != null) {
                d.offer(buf, 0, len);
            }
        } else if (first >= 128 && first <= 191 && inbound != null) {
            if (RtpPacket.isRtcp(buf, 0, len)) {
                int n = inbound.unprotectRtcp(buf, 0, len);
                if (n < 0) {
                    received.srtpFailures.incrementAndGet();
                    return;
                }
                long plisBefore = received.plis.get();
                received.onRtcp(buf, 0, n);
                if (received.plis.get() != plisBefore && received.lastPliMediaSsrc == videoSsrc) {
                    keyframeRequested.set(true);
                }
            } else {
                int n = inbound.unprotectRtp(buf, 0, len);
                if (n < 0) {
                    received.srtpFailures.incrementAndGet();
                    return;
                }
                received.onRtp(buf, 0, n, AnswerBuilder.RTX_PT);
            }
        } else {
            unreadable.incrementAndGet();
        }
    }

    // --- state for tests ---

    public List<Offer> offers() {
        return List.copyOf(offers);
    }

    public Offer firstOffer() {
        if (offers.isEmpty()) {
            throw new IllegalStateException(participantId + " has no offer yet");
        }
        return offers.get(0);
    }

    public Offer latestOffer() {
        return offers.get(offers.size() - 1);
    }

    public long answeredVersion() {
        return answeredVersion.get();
    }

    public List<String> answerErrors() {
        return List.copyOf(answerErrors);
    }

    public ReceivedMedia received() {
        return received;
    }

    public long plis() {
        return received.plis.get();
    }

    public long receiverReports() {
        return received.receiverReports.get();
    }

    public long rembs() {
        return received.rembs.get();
    }

    public long lastRembBitrate() {
        return received.lastRembBitrate;
    }

    /** SRTP/SRTCP datagrams from the node that failed to unprotect (should stay 0). */
    public long srtpFailures() {
        return received.srtpFailures.get();
    }

    /** Datagrams the peer could not classify or handle (should stay 0). */
    public long unreadable() {
        return unreadable.get();
    }

    public long stunResponses() {
        return stun == null ? 0 : stun.successes();
    }

    public SrtpProfile srtpProfile() {
        return profile;
    }

    public boolean connected() {
        return inbound != null;
    }

    /** Milliseconds from the start of connect to the first STUN success, -1 before. */
    public long stunMillis() {
        return stunMillis;
    }

    /** Milliseconds from the start of connect to SRTP keys, -1 before. */
    public long connectMillis() {
        return dtlsMillis;
    }

    public InetSocketAddress localAddress() throws IOException {
        return (InetSocketAddress) channel.getLocalAddress();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        try {
            leave();
        } catch (RuntimeException ignored) {
            // the node may be gone already
        }
        consent.shutdownNow();
        DtlsSession d = dtls;
        if (d != null) {
            d.close();
        }
        closed = true;
        try {
            channel.close();
            if (tcpChannel != null) {
                tcpChannel.close();
            }
        } catch (IOException ignored) {
            // closing anyway
        }
        if (consumer != null) {
            consumer.unregister();
        }
        dtlsWorker.shutdownNow();
        try {
            receiver.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static <T> T await(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(REPLY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new AssertionError("event-bus request failed: " + e.getCause().getMessage(), e.getCause());
        } catch (Exception e) {
            throw new AssertionError("event-bus request: " + e, e);
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

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
