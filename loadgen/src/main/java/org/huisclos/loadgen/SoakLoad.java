package org.huisclos.loadgen;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.huisclos.contract.MediaCodec;
import org.huisclos.contract.MediaCommand;
import org.huisclos.media.dtls.DtlsCertificate;

/**
 * The soak's meeting load: {@code rooms} rooms of {@code publishers + subscribers} synthetic participants
 * (ICE, DTLS, SRTP), held for the whole run, with churn: every {@code churnMillis} one participant, drawn at
 * random, leaves (a release request, its socket closed) and a new one joins the same room in its place (same
 * role: allocate, answer, ICE, DTLS, SRTP). One {@link Generator.Sender} sends for whoever holds each slot.
 *
 * <p>Loss is counted per (publisher, receiver) pair over measured windows ({@link #startWindow},
 * {@link #endWindow}): a pair counts when both had finished joining at least {@link #SETTLE_NANOS} before the
 * window opened and neither began leaving before its counts were read (after the window closed and its last
 * packets had arrived: 1 s, longer while counts still grow). Pairs with a participant in its own setup or
 * teardown are left out, reported as such; everyone else's packets are counted through all the others' churn
 * (and the renegotiations it causes).
 */
final class SoakLoad implements AutoCloseable {
    /** How long a participant has been connected before its pairs count: offers answered, a key frame passed. */
    static final long SETTLE_NANOS = 3_000_000_000L;

    /** One participant in a slot: a room and a place in it (publisher places first). */
    static final class Member {
        final Participant p;
        final int room;
        final int place;
        final long readyNanos;
        volatile boolean leaving;

        Member(Participant p, int room, int place, long readyNanos) {
            this.p = p;
            this.room = room;
            this.place = place;
            this.readyNanos = readyNanos;
        }
    }

    private record Pair(Member receiver, Member publisher, long sentBefore) {
    }

    /** Delivered/expected over one window's counted pairs. */
    record Loss(long expected, long delivered, int pairs, int pairsLeftOut, double worstPairPercent) {
        double percent() {
            return expected == 0 ? 100.0 : 100.0 * (expected - delivered) / expected;
        }

        JsonObject json() {
            return new JsonObject().put("expected", expected).put("delivered", delivered)
                    .put("lossPercent", Generator.round(percent(), 4)).put("pairs", pairs)
                    .put("pairsLeftOut", pairsLeftOut).put("worstPairLossPercent", Generator.round(worstPairPercent, 4));
        }
    }

    private final Generator.Scenario s;
    private final NodeClient node;
    private final int perRoom;
    private final Member[] members; // guarded by this; slot = room * perRoom + place
    private final AtomicReferenceArray<Participant> sending;
    private final Generator.Sender sender;
    private final Receiver receiver;
    private final ExecutorService dtlsPool;
    private final DtlsCertificate certificate;
    private final Random random = new Random(13);
    private int nextIndex;
    private List<Pair> window = List.of();
    private Thread churn;
    private volatile boolean churning;
    private volatile boolean closing;
    final AtomicLong joins = new AtomicLong();
    final AtomicLong leaves = new AtomicLong();
    final AtomicLong joinFailures = new AtomicLong();
    final AtomicLong leaveFailures = new AtomicLong();
    final AtomicLong joinMillisMax = new AtomicLong();
    volatile String lastFailure;
    /** Every failed join or leave: when, and why. */
    final List<String> failureLog = java.util.Collections.synchronizedList(new ArrayList<>());

    SoakLoad(Generator.Scenario scenario, NodeClient node) throws Exception {
        this.s = scenario;
        this.node = node;
        this.perRoom = scenario.participantsPerRoom();
        this.members = new Member[scenario.rooms() * perRoom];
        this.sending = new AtomicReferenceArray<>(members.length);
        this.sender = new Generator.Sender(sending, scenario);
        this.receiver = new Receiver();
        this.dtlsPool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "loadgen-dtls");
            t.setDaemon(true);
            return t;
        });
        this.certificate = DtlsCertificate.generate();
    }

    static String roomName(int room) {
        return "soak-room-" + room;
    }

    /** Fills every slot, one participant after the other; throws when one cannot join. */
    void joinAll() throws Exception {
        for (int slot = 0; slot < members.length; slot++) {
            if (join(slot) == null) {
                throw new IllegalStateException("participant " + slot + " could not join: " + lastFailure);
            }
        }
    }

    void startSending() {
        sender.start();
    }

    /** Starts the churn thread: one leave and one join every {@code periodMillis}. */
    void startChurn(long periodMillis) {
        churning = true;
        churn = new Thread(() -> {
            long next = System.nanoTime();
            while (churning) {
                next += periodMillis * 1_000_000L;
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    try {
                        Thread.sleep(wait / 1_000_000L, (int) (wait % 1_000_000L));
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (churning) {
                    churnOnce();
                }
            }
        }, "soak-churn");
        churn.setDaemon(true);
        churn.start();
    }

    /** A random participant leaves and a new one takes its place (an empty slot, from a failed join, first). */
    private void churnOnce() {
        int slot = -1;
        synchronized (this) {
            for (int i = 0; i < members.length && slot < 0; i++) {
                if (members[i] == null) {
                    slot = i;
                }
            }
        }
        if (slot < 0) {
            slot = random.nextInt(members.length);
            leave(slot);
        }
        join(slot);
    }

    private Member join(int slot) {
        int room = slot / perRoom;
        int place = slot % perRoom;
        Participant p;
        try {
            p = new Participant(nextIndex++, roomName(room), place < s.publishers(), false);
        } catch (Exception e) {
            failed(joinFailures, e);
            return null;
        }
        receiver.add(p);
        long start = System.nanoTime();
        try {
            p.join(node, certificate, s.profile(), dtlsPool, 20_000);
        } catch (Exception e) {
            failed(joinFailures, e);
            release(p, false); // the node may have dropped it already (a failed handshake): one failure, not two
            return null;
        }
        long now = System.nanoTime();
        joinMillisMax.accumulateAndGet((now - start) / 1_000_000, Math::max);
        Member m = new Member(p, room, place, now);
        synchronized (this) {
            members[slot] = m;
        }
        sending.set(slot, p);
        joins.incrementAndGet();
        return m;
    }

    private void leave(int slot) {
        Member m;
        synchronized (this) {
            m = members[slot];
            members[slot] = null;
        }
        if (m == null) {
            return;
        }
        m.leaving = true; // before anything of its teardown: its pairs no longer count
        sending.set(slot, null);
        if (release(m.p, true)) {
            leaves.incrementAndGet();
        }
    }

    /**
     * Releases {@code p} at the node, forgets it and closes its socket; false when the node refused, which counts
     * as a failed leave when {@code counted}.
     */
    private boolean release(Participant p, boolean counted) {
        boolean ok = true;
        try {
            NodeClient.await(node.request(p.id, MediaCodec.encode(new MediaCommand.Release(p.id))));
        } catch (RuntimeException e) {
            if (counted) {
                failed(leaveFailures, e);
            }
            ok = false;
        }
        node.unlisten(p.id);
        p.close();
        return ok;
    }

    private void failed(AtomicLong counter, Exception e) {
        if (closing) {
            return; // a join cut short by the end of the run
        }
        counter.incrementAndGet();
        lastFailure = e.toString();
        failureLog.add(java.time.Instant.now() + " " + e);
        System.out.println("   churn: " + java.time.Instant.now() + " " + e);
    }

    /** Opens a measured window over the pairs settled now (call with the previous window closed). */
    void startWindow() {
        long now = System.nanoTime();
        List<Pair> pairs = new ArrayList<>();
        synchronized (this) {
            for (Member r : members) {
                if (r == null) {
                    continue;
                }
                r.p.fromPublishers.clear();
                if (now - r.readyNanos < SETTLE_NANOS) {
                    continue;
                }
                for (int place = 0; place < s.publishers(); place++) {
                    Member pub = members[r.room * perRoom + place];
                    if (pub != null && pub != r && now - pub.readyNanos >= SETTLE_NANOS
                            && r.p.fromPublishers.watch(pub.p.index)) {
                        pairs.add(new Pair(r, pub, pub.p.sampledSent.get()));
                    }
                }
            }
            window = pairs;
        }
        sender.measured = true;
    }

    /**
     * Closes the window and counts its pairs once its last packets have arrived: after 1 s, and then as long as
     * the pairs' counts still grow (a starved receiver may hold measured packets in its socket buffers for
     * longer), up to 10 s.
     */
    Loss endWindow() throws InterruptedException {
        sender.measured = false;
        List<Pair> pairs;
        synchronized (this) {
            pairs = window;
            window = List.of();
        }
        Thread.sleep(1000);
        long counted = received(pairs);
        for (int i = 0; i < 36; i++) {
            Thread.sleep(250);
            long now = received(pairs);
            if (now == counted) {
                break;
            }
            counted = now;
        }
        long expected = 0;
        long delivered = 0;
        int included = 0;
        int leftOut = 0;
        double worst = 0;
        for (Pair pair : pairs) {
            long sent = pair.publisher.p.sampledSent.get() - pair.sentBefore;
            long got = pair.receiver.p.fromPublishers.received(pair.publisher.p.index);
            // Read first, then look: a participant that began leaving before the read may have lost packets to it.
            if (pair.receiver.leaving || pair.publisher.leaving || got < 0) {
                leftOut++;
                continue;
            }
            included++;
            expected += sent;
            delivered += got;
            if (sent > 0) {
                worst = Math.max(worst, 100.0 * (sent - got) / sent);
            }
        }
        return new Loss(expected, delivered, included, leftOut, worst);
    }

    private static long received(List<Pair> pairs) {
        long sum = 0;
        for (Pair pair : pairs) {
            sum += Math.max(0, pair.receiver.p.fromPublishers.received(pair.publisher.p.index));
        }
        return sum;
    }

    /** SRTP failures and PLIs over the participants there now (cumulative for each). */
    synchronized long[] srtpFailuresAndPlis() {
        long failures = 0;
        long plis = 0;
        for (Member m : members) {
            if (m != null) {
                failures += m.p.srtpFailures;
                plis += m.p.plis.get();
            }
        }
        return new long[] {failures, plis};
    }

    @Override
    public void close() throws Exception {
        closing = true;
        churning = false;
        if (churn != null) {
            churn.interrupt();
            churn.join(30_000);
        }
        sender.stop();
        synchronized (this) {
            for (Member m : members) {
                if (m != null) {
                    m.p.close();
                }
            }
        }
        receiver.close();
        dtlsPool.shutdownNow();
    }
}
