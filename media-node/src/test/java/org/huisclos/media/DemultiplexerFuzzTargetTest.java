package org.huisclos.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import org.huisclos.media.forward.Endpoint;
import org.huisclos.media.forward.EndpointTable;
import org.huisclos.media.forward.Forwarder;
import org.huisclos.media.forward.ForwardingCounters;
import org.huisclos.media.forward.Room;
import org.huisclos.media.fuzz.FuzzStats;
import org.huisclos.media.srtp.SrtpContext;
import org.huisclos.media.srtp.SrtpProfile;
import org.junit.jupiter.api.AfterAll;

/**
 * Jazzer target: the first-byte demultiplexing of the media port (RFC 7983), which sends DTLS records to
 * an endpoint's handshake (docs/reliability.md). The first input byte picks the source: the address of a
 * checked endpoint (which has SRTP keys) or an unknown one; the rest is the datagram. Every datagram has
 * exactly one fate: it is counted as dropped, or, when it starts with 20..63 and comes from the checked
 * address, it reaches that endpoint's DTLS sink unchanged (same buffer, offset and length).
 */
class DemultiplexerFuzzTargetTest {
    private static final int OFF = 4;
    private static final InetSocketAddress KNOWN = address(10, 5000);
    private static final InetSocketAddress UNKNOWN = address(11, 5001);
    private static final EndpointTable TABLE = new EndpointTable();
    private static final org.huisclos.media.transport.DropCounters DROPS =
            new org.huisclos.media.transport.DropCounters();
    private static final Endpoint ENDPOINT = new Endpoint("fuzz", new Room("0123456789abcdef0123456789abcdef"));
    private static final Demultiplexer DEMUX;
    private static long executions;
    private static int records;
    private static Endpoint recordFor;
    private static byte[] recordBuf;
    private static int recordOff;
    private static int recordLen;

    static {
        ENDPOINT.udpPath(null, KNOWN, new Endpoint.PathChange());
        TABLE.addAddress(KNOWN, ENDPOINT);
        ENDPOINT.inbound = new SrtpContext(SrtpProfile.AES_CM_128_HMAC_SHA1_80, new byte[16], new byte[14]);
        DEMUX = new Demultiplexer(TABLE, DROPS, (e, buf, off, len) -> {
            records++;
            recordFor = e;
            recordBuf = buf;
            recordOff = off;
            recordLen = len;
        });
        DEMUX.attach(null, new Forwarder(DROPS, new ForwardingCounters()));
    }

    @FuzzTest
    void demultiplex(byte[] data) {
        executions++;
        if (data.length < 1) {
            return;
        }
        boolean known = (data[0] & 1) == 0;
        int len = data.length - 1;
        byte[] buf = new byte[OFF + len + 3];
        System.arraycopy(data, 1, buf, OFF, len);
        long dropsBefore = DROPS.total();
        int recordsBefore = records;
        DEMUX.onPacket(buf, OFF, len, known ? KNOWN : UNKNOWN);
        long dropped = DROPS.total() - dropsBefore;
        int delivered = records - recordsBefore;
        assertEquals(1, dropped + delivered, "one fate per datagram");
        if (delivered == 1) {
            int first = buf[OFF] & 0xFF;
            assertTrue(known && first >= 20 && first <= 63, "only DTLS from the checked address: " + first);
            assertSame(ENDPOINT, recordFor);
            assertSame(buf, recordBuf);
            assertEquals(OFF, recordOff);
            assertEquals(len, recordLen);
        }
    }

    private static InetSocketAddress address(int last, int port) {
        try {
            return new InetSocketAddress(InetAddress.getByAddress(new byte[] {(byte) 192, 0, 2, (byte) last}), port);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    @AfterAll
    static void report() throws Exception {
        FuzzStats.write(DemultiplexerFuzzTargetTest.class, executions);
    }
}
