package org.huisclos.media;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.huisclos.contract.Addresses;
import org.huisclos.contract.BadMessage;
import org.huisclos.contract.MediaCodec;
import org.huisclos.contract.MediaCommand;
import org.huisclos.contract.MediaRequest;
import org.huisclos.contract.NodeMessage;
import org.huisclos.media.dtls.DtlsCertificate;
import org.huisclos.media.forward.Conference;
import org.huisclos.media.forward.Endpoint;
import org.huisclos.media.forward.EndpointTable;
import org.huisclos.media.forward.Forwarder;
import org.huisclos.media.forward.ForwardingCounters;
import org.huisclos.media.forward.Refusal;
import org.huisclos.media.sdp.SdpException;
import org.huisclos.media.transport.DropCounters;
import org.huisclos.media.transport.TcpRefusals;
import org.huisclos.media.transport.TcpTransport;
import org.huisclos.media.transport.UdpTransport;

/**
 * A media node: the SFU's UDP port, its rooms, and the event-bus address where signaling
 * instances allocate, answer and release participants ({@link MediaRequest}). Deploy it as a
 * verticle: every control-plane change happens on its event-loop thread, the packet path of both
 * ports (UDP and ICE-TCP) on one I/O thread, DTLS handshakes on a small pool.
 */
public final class MediaNode extends VerticleBase {
    private static final System.Logger LOG = System.getLogger(MediaNode.class.getName());
    private static final long REPORT_INTERVAL_MS = 1000;

    private final MediaNodeConfig config;
    private final DropCounters drops = new DropCounters();
    private final TcpRefusals tcpRefusals = new TcpRefusals();
    private final ForwardingCounters counters = new ForwardingCounters();
    private final EndpointTable table = new EndpointTable();
    private final DtlsCertificate certificate = DtlsCertificate.generate();
    /** Handshakes block (Bouncy Castle): one thread each, so that a peer that never finishes holds up no one else. */
    private final ThreadPoolExecutor handshakes = new ThreadPoolExecutor(64, 64, 30, TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(), daemonThreads("dtls-handshake"));
    private final AtomicInteger dtlsFailures = new AtomicInteger();
    private final java.util.concurrent.atomic.AtomicLong consentExpirations = new java.util.concurrent.atomic.AtomicLong();
    /** Worst publisher stream quality of the last report pass (once a second), for metrics. */
    private volatile double publisherJitterSeconds;
    private volatile double publisherLossRatio;
    private volatile UdpTransport transport; // volatile: udpBound() reads it from the readiness probe
    private volatile TcpTransport tcp; // null when ICE-TCP is off
    private Forwarder forwarder;
    private Conference conference;
    private Handshakes dtls;
    private RtcpReporter reporter;
    /** How often the rooms' dominant speakers are decided (SpeakerDetector wants ~300 ms). */
    static final long SPEAKER_TICK_MS = 250;
    private long speakerTimer = -1;
    private volatile long[] bandwidthEstimates = new long[0];
    private volatile java.util.function.LongConsumer estimateListener = bps -> { };
    private volatile org.huisclos.media.relay.RelayManager relays; // volatile: relayTotals() reads it from a scrape
    private MessageConsumer<Object> consumer;
    private long timer;
    private java.util.function.Consumer<String> roomClosed = key -> { };

    public MediaNode(MediaNodeConfig config) {
        this.config = config;
        handshakes.allowCoreThreadTimeOut(true);
    }

    @Override
    public Future<?> start() {
        try {
            Demultiplexer.DtlsRecordSink records = (e, buf, off, len) -> dtls.onRecord(e, buf, off, len);
            // One I/O thread reads both ports, with one demultiplexer and one forwarder: endpoint and
            // forwarding state has one owner (docs/architecture.md §5). With ICE-TCP that thread is the
            // TCP selector's, which serves the UDP port too; without, the UDP port's own.
            Demultiplexer demux = new Demultiplexer(table, drops, records, config.udpBlocked());
            InetSocketAddress udpLocal = new InetSocketAddress(config.bindAddress(), config.udpPort());
            if (config.tcpPort() >= 0) {
                transport = UdpTransport.open(udpLocal, demux, drops);
                try {
                    tcp = TcpTransport.bind(new InetSocketAddress(config.bindAddress(), config.tcpPort()), demux, drops,
                            config.tcpLimits(), tcpRefusals, transport);
                } catch (Exception e) {
                    transport.close();
                    throw e;
                }
            } else {
                transport = UdpTransport.bind(udpLocal, demux);
            }
            forwarder = new Forwarder(drops, counters);
            dtls = new Handshakes(certificate, handshakes, context, dtlsFailures);
            conference = new Conference(table, forwarder, this::sendOffer, dtls::start, certificate.fingerprint(),
                    config.publicAddress(), transport.port(), tcp == null ? 0 : tcp.port(), config.capacity(),
                    config.roomCapacity());
            if (config.simulcast()) {
                conference.simulcast(MediaNodeConfig.SIMULCAST_RIDS);
            }
            // a simulcast stream is announced on the control thread once the I/O thread bound its first layer
            forwarder.onFirstLayer(stream -> context.runOnContext(v -> conference.announce(stream)));
            conference.speakers().onSpeaker((to, speaker) -> vertx.eventBus().send(Addresses.participant(to.participantId),
                    MediaCodec.encode(new NodeMessage.Speaker(config.nodeId(), speaker))));
            conference.layers().onLayers((publisher, active) -> vertx.eventBus().send(Addresses.participant(publisher.participantId),
                    MediaCodec.encode(new NodeMessage.Layers(config.nodeId(), active))));
            dtls.onConnected(conference::connected);
            dtls.onFailed(this::mediaFailed);
            relays = new org.huisclos.media.relay.RelayManager(vertx, config.nodeId(),
                    relayAddress(config.relayAddress(), transport.port()), certificate.fingerprint(), conference,
                    dtls::start, transport, table);
            conference.onStreamsChanged(relays::onStreamsChanged);
            conference.onRoomClosed(key -> {
                relays.onRoomClosed(key);
                roomClosed.accept(key);
            });
            reporter = new RtcpReporter(forwarder, config.rembBitrate(), consentExpirations);
            demux.attach(transport, forwarder);
        } catch (Exception e) {
            return Future.failedFuture(e);
        }
        consumer = vertx.eventBus().consumer(Addresses.mediaNode(config.nodeId()), this::onRequest);
        speakerTimer = vertx.setPeriodic(SPEAKER_TICK_MS, id -> conference.speakers().tickSpeakers(System.nanoTime() / 1_000_000));
        timer = vertx.setPeriodic(REPORT_INTERVAL_MS, id -> {
            reporter.report(conference.endpoints());
            conference.layers().chooseLayers();
            long[] estimates = conference.layers().bandwidthEstimates();
            bandwidthEstimates = estimates;
            for (long bps : estimates) {
                estimateListener.accept(bps);
            }
            publisherJitterSeconds = reporter.quality().jitterSeconds();
            publisherLossRatio = reporter.quality().lossRatio();
            relays.tick();
        });
        LOG.log(System.Logger.Level.INFO, "media node " + config.nodeId() + " on UDP port " + transport.port()
                + (tcp == null ? "" : " and ICE-TCP port " + tcp.port()) + ", advertising " + config.publicAddress());
        if (config.udpBlocked()) {
            LOG.log(System.Logger.Level.WARNING, "HUISCLOS_TEST_BLOCK_MEDIA_UDP: every media UDP datagram is dropped"
                    + " (a test switch: only ICE-TCP carries media)");
        }
        return consumer.completion();
    }

    @Override
    public Future<?> stop() {
        vertx.cancelTimer(timer);
        vertx.cancelTimer(speakerTimer);
        relays.closeAll();
        for (Endpoint e : conference.endpoints()) {
            try {
                conference.release(e.participantId);
            } catch (Refusal ignored) {
                // already gone
            }
        }
        transport.close();
        if (tcp != null) {
            tcp.close();
        }
        handshakes.shutdownNow();
        return consumer.unregister();
    }

    /** Called (on the node's context) with a room's key when its last participant here leaves. */
    public void onRoomClosed(java.util.function.Consumer<String> listener) {
        this.roomClosed = listener;
    }

    /** Lets a test see every packet this node forwards, on the I/O thread; null removes it. */
    public void tapForwarding(Forwarder.PacketTap tap) {
        forwarder.tap(tap);
    }

    public int udpPort() {
        return transport.port();
    }

    /** Source addresses that lead to an endpoint now: at most 8 per endpoint, however many a client tries. */
    public int addressCount() {
        return table.addressCount();
    }

    /** The ICE-TCP port, or -1 when ICE-TCP is off. */
    public int tcpPort() {
        TcpTransport t = tcp;
        return t == null ? -1 : t.port();
    }

    /** Whether the UDP port is bound: before start and after stop it is not. Any thread. */
    public boolean udpBound() {
        UdpTransport t = transport;
        return t != null && t.isOpen();
    }

    /**
     * Whether the ICE-TCP port is bound, or ICE-TCP is off (then nothing is missing); false before
     * start and after stop. Any thread.
     */
    public boolean tcpBound() {
        if (config.tcpPort() < 0) {
            return transport != null;
        }
        TcpTransport t = tcp;
        return t != null && t.isOpen();
    }

    public DropCounters drops() {
        return drops;
    }

    /** ICE-TCP connections closed by a limit or a failure, by {@link org.huisclos.media.transport.TcpRefusal}. */
    public TcpRefusals tcpRefusals() {
        return tcpRefusals;
    }

    public ForwardingCounters counters() {
        return counters;
    }

    public int dtlsFailures() {
        return dtlsFailures.get();
    }

    /** The relay links taken together (null before the node started), for metrics. */
    public org.huisclos.media.relay.RelayTotals relayTotals() {
        org.huisclos.media.relay.RelayManager r = relays;
        return r == null ? null : r.totals();
    }

    /** The largest interarrival jitter over the streams published here, in seconds (once a second). */
    public double publisherJitterSeconds() {
        return publisherJitterSeconds;
    }

    /** The largest fraction lost over the streams published here, since the previous report (once a second). */
    public double publisherLossRatio() {
        return publisherLossRatio;
    }

    /** Candidate paths pushed out of a participant's 8 by a newer one (and forgotten). */
    public long pathsDisplaced() {
        return table.pathsDisplaced();
    }

    /** Endpoints whose ICE consent expired (RFC 7675: 30 s without a STUN check): the node stopped sending to them. */
    public long consentExpirations() {
        return consentExpirations.get();
    }

    /**
     * Called once a second with each participant's downlink estimate (bits/s), where the node estimates
     * it (with simulcast): the metrics' histogram.
     */
    public void onBandwidthEstimate(java.util.function.LongConsumer listener) {
        this.estimateListener = listener;
    }

    /** The participants' downlink estimates (bits/s) at the last once-a-second pass; for tests and operators. */
    public long[] bandwidthEstimates() {
        return bandwidthEstimates.clone();
    }

    /** Participants, rooms and streams now; read on the node's context. */
    public Future<int[]> load() {
        // On the context itself, where Conference changes: not on a worker thread beside it (its maps are not thread-safe).
        io.vertx.core.Promise<int[]> load = io.vertx.core.Promise.promise();
        context.runOnContext(v -> load.complete(new int[] {conference.participantCount(), conference.roomCount(),
                conference.streamCount()}));
        return load.future();
    }

    /**
     * Uses of packet caches and subscription state from a thread other than their owner, summed over
     * the endpoints now (0 while the one-owner rule holds); read on the node's context, for tests.
     */
    Future<Long> foreignThreadUses() {
        io.vertx.core.Promise<Long> uses = io.vertx.core.Promise.promise();
        context.runOnContext(v -> uses.complete(
                conference.endpoints().stream().mapToLong(Endpoint::foreignThreadUses).sum()));
        return uses.future();
    }

    /** These peer nodes left the cluster: their relay links close now (see RelayManager#peerGone). */
    public void peersGone(java.util.Collection<String> nodeIds) {
        List<String> gone = List.copyOf(nodeIds);
        context.runOnContext(v -> gone.forEach(relays::peerGone));
    }

    /** The node's relay links now (one meeting across several nodes), read on the node's context. */
    public Future<List<org.huisclos.media.relay.RelayLink>> relayLinks() {
        io.vertx.core.Promise<List<org.huisclos.media.relay.RelayLink>> links = io.vertx.core.Promise.promise();
        context.runOnContext(v -> links.complete(relays.links()));
        return links.future();
    }

    /** Where peer nodes send a relay link's datagrams: the relay address (default: the public one) and the media UDP port. */
    private static String relayAddress(String host, int port) {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    /**
     * Every request gets a reply. One the codec cannot read (no JSON object, an unknown action, a
     * missing or ill-typed field) fails with the codec's code, here, before anything is applied.
     */
    private void onRequest(Message<Object> msg) {
        MediaCommand command;
        try {
            command = MediaCodec.decode(msg.body());
        } catch (BadMessage bad) {
            msg.fail(bad.code, bad.getMessage());
            return;
        }
        try {
            handle(msg, command);
        } catch (RuntimeException bug) {
            LOG.log(System.Logger.Level.ERROR, "a media request failed", bug);
            msg.fail(MediaRequest.Failure.INTERNAL, "the media node failed on this request");
        }
    }

    private void handle(Message<Object> msg, MediaCommand command) {
        if (command instanceof MediaCommand.Relay relay) {
            relays.onRequest(msg, relay);
            return;
        }
        try {
            if (command instanceof MediaCommand.Allocate a) {
                conference.allocate(a.room(), a.participant());
            } else if (command instanceof MediaCommand.Answer a) {
                if (a.version() < Integer.MIN_VALUE || a.version() > Integer.MAX_VALUE) {
                    throw new Refusal(MediaRequest.Failure.STALE_ANSWER, "no offer has this version");
                }
                conference.answer(a.participant(), (int) a.version(), a.sdp());
            } else if (command instanceof MediaCommand.View v) {
                conference.view(v.participant(), v.heights());
            } else if (command instanceof MediaCommand.Release r) {
                conference.release(r.participant());
            } else if (command instanceof MediaCommand.Resume r) {
                NodeMessage.Offer[] outstanding = new NodeMessage.Offer[1];
                conference.outstandingOffer(r.participant(),
                        (e, version, sdp, tracks) -> outstanding[0] = offer(version, sdp, tracks));
                msg.reply(MediaCodec.resumeReply(outstanding[0]));
                return;
            }
            msg.reply(MediaCodec.ok());
        } catch (Refusal r) {
            msg.fail(r.code, r.getMessage());
        } catch (SdpException e) {
            msg.fail(MediaRequest.Failure.BAD_REQUEST, e.getMessage());
        }
    }

    private void sendOffer(Endpoint e, int version, String sdp, List<NodeMessage.Track> tracks) {
        vertx.eventBus().send(Addresses.participant(e.participantId), MediaCodec.encode(offer(version, sdp, tracks)));
    }

    private NodeMessage.Offer offer(int version, String sdp, List<NodeMessage.Track> tracks) {
        return new NodeMessage.Offer(config.nodeId(), version, sdp, tracks);
    }

    /** The endpoint cannot carry media (its DTLS handshake failed): it is closed and the participant told. */
    private void mediaFailed(Endpoint e, String reason) {
        if (e.relay) {
            relays.onLinkFailed(e, reason);
            return;
        }
        try {
            conference.release(e.participantId);
        } catch (Refusal gone) {
            return;
        }
        vertx.eventBus().send(Addresses.participant(e.participantId), MediaCodec.encode(new NodeMessage.MediaFailed(
                config.nodeId(), "the secure media connection could not be set up (DTLS: " + reason + ")")));
    }

    static java.util.concurrent.ThreadFactory daemonThreads(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
