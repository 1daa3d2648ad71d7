package org.huisclos.turn;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The least of a TURN client (RFC 5766 over UDP, RFC 5389 messages) that tests need: a Binding
 * request (is the server up?) and an Allocate with the long-term credential mechanism (RFC 5389
 * 10.2): a first request without credentials gets 401 with REALM and NONCE, the second carries
 * USERNAME, REALM, NONCE and MESSAGE-INTEGRITY keyed with MD5(username:realm:password). Written
 * here rather than on media-node's STUN codec, which knows ICE's short-term credentials and
 * attributes only. Requests are sent again every 500 ms until an answer or the deadline.
 */
final class TurnClient implements AutoCloseable {
    static final int MAGIC_COOKIE = 0x2112A442;
    private static final int BINDING = 0x0001;
    private static final int ALLOCATE = 0x0003;
    private static final int REFRESH = 0x0004;
    private static final int ATTR_USERNAME = 0x0006;
    private static final int ATTR_MESSAGE_INTEGRITY = 0x0008;
    private static final int ATTR_ERROR_CODE = 0x0009;
    private static final int ATTR_LIFETIME = 0x000D;
    private static final int ATTR_REALM = 0x0014;
    private static final int ATTR_NONCE = 0x0015;
    private static final int ATTR_XOR_RELAYED_ADDRESS = 0x0016;
    private static final int ATTR_REQUESTED_TRANSPORT = 0x0019;
    private static final int UDP = 17;

    private final DatagramSocket socket;
    private final InetSocketAddress server;
    private final SecureRandom random = new SecureRandom();

    /** An answer: its class (success or error), error code (0 on success) and attributes of interest. */
    record Response(boolean success, int errorCode, String realm, String nonce, InetSocketAddress relayed,
                    boolean integrityValid) {
    }

    TurnClient(InetSocketAddress server) throws IOException {
        this.server = server;
        this.socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    /** True once the server answers a Binding request within {@code timeout}. */
    boolean bindingAnswered(Duration timeout) throws IOException {
        return transact(message(BINDING, new byte[0], null), timeout, null) != null;
    }

    /** Allocate without credentials: a server with authentication answers 401 with REALM and NONCE. */
    Response allocateUnauthenticated(Duration timeout) throws IOException {
        return transact(message(ALLOCATE, transportAttribute(), null), timeout, null);
    }

    /** Allocate with long-term credentials, with the realm and nonce of an earlier 401. */
    Response allocate(String username, String password, String realm, String nonce, Duration timeout) throws IOException {
        byte[] key = longTermKey(username, realm, password);
        ByteArrayOutputStream attrs = new ByteArrayOutputStream();
        attrs.writeBytes(transportAttribute());
        attrs.writeBytes(attribute(ATTR_USERNAME, username.getBytes(StandardCharsets.UTF_8)));
        attrs.writeBytes(attribute(ATTR_REALM, realm.getBytes(StandardCharsets.UTF_8)));
        attrs.writeBytes(attribute(ATTR_NONCE, nonce.getBytes(StandardCharsets.UTF_8)));
        return transact(message(ALLOCATE, attrs.toByteArray(), key), timeout, key);
    }

    /** Frees an allocation made with these credentials (Refresh with LIFETIME 0). */
    Response release(String username, String password, String realm, String nonce, Duration timeout) throws IOException {
        byte[] key = longTermKey(username, realm, password);
        ByteArrayOutputStream attrs = new ByteArrayOutputStream();
        attrs.writeBytes(attribute(ATTR_LIFETIME, new byte[4]));
        attrs.writeBytes(attribute(ATTR_USERNAME, username.getBytes(StandardCharsets.UTF_8)));
        attrs.writeBytes(attribute(ATTR_REALM, realm.getBytes(StandardCharsets.UTF_8)));
        attrs.writeBytes(attribute(ATTR_NONCE, nonce.getBytes(StandardCharsets.UTF_8)));
        return transact(message(REFRESH, attrs.toByteArray(), key), timeout, key);
    }

    /** RFC 5389 15.4: key = MD5(username ":" realm ":" password). */
    static byte[] longTermKey(String username, String realm, String password) {
        try {
            return MessageDigest.getInstance("MD5")
                    .digest((username + ":" + realm + ":" + password).getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] transportAttribute() {
        return attribute(ATTR_REQUESTED_TRANSPORT, new byte[] {UDP, 0, 0, 0});
    }

    private static byte[] attribute(int type, byte[] value) {
        ByteBuffer b = ByteBuffer.allocate(4 + (value.length + 3) / 4 * 4);
        b.putShort((short) type).putShort((short) value.length).put(value);
        return b.array();
    }

    /** Header, attributes, and MESSAGE-INTEGRITY over both when {@code key} is given (RFC 5389 15.4). */
    private byte[] message(int type, byte[] attributes, byte[] key) {
        byte[] txid = new byte[12];
        random.nextBytes(txid);
        int integrity = key == null ? 0 : 24;
        ByteBuffer b = ByteBuffer.allocate(20 + attributes.length + integrity);
        b.putShort((short) type).putShort((short) (attributes.length + integrity)).putInt(MAGIC_COOKIE).put(txid)
                .put(attributes);
        if (key != null) {
            byte[] mac = hmacSha1(key, Arrays.copyOf(b.array(), 20 + attributes.length));
            b.putShort((short) ATTR_MESSAGE_INTEGRITY).putShort((short) 20).put(mac);
        }
        return b.array();
    }

    private static byte[] hmacSha1(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(key, "HmacSHA1"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sends {@code request} (again every 500 ms) until the answer with its transaction id, or null at the deadline. */
    private Response transact(byte[] request, Duration timeout, byte[] key) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        byte[] buffer = new byte[1500];
        while (System.nanoTime() < deadline) {
            socket.send(new DatagramPacket(request, request.length, server));
            long resendAt = Math.min(deadline, System.nanoTime() + Duration.ofMillis(500).toNanos());
            while (System.nanoTime() < resendAt) {
                socket.setSoTimeout((int) Math.max(1, Duration.ofNanos(resendAt - System.nanoTime()).toMillis()));
                DatagramPacket p = new DatagramPacket(buffer, buffer.length);
                try {
                    socket.receive(p);
                } catch (SocketTimeoutException e) {
                    break;
                }
                byte[] reply = Arrays.copyOf(p.getData(), p.getLength());
                if (reply.length >= 20 && Arrays.equals(reply, 8, 20, request, 8, 20)) {
                    return parse(reply, key);
                }
            }
        }
        return null;
    }

    private static Response parse(byte[] m, byte[] key) {
        ByteBuffer b = ByteBuffer.wrap(m);
        int type = b.getShort(0) & 0x3FFF;
        boolean success = (type & 0x0110) == 0x0100;
        int errorCode = 0;
        String realm = null;
        String nonce = null;
        InetSocketAddress relayed = null;
        boolean integrityValid = false;
        int length = b.getShort(2) & 0xFFFF;
        int at = 20;
        while (at + 4 <= Math.min(m.length, 20 + length)) {
            int attr = b.getShort(at) & 0xFFFF;
            int len = b.getShort(at + 2) & 0xFFFF;
            int value = at + 4;
            switch (attr) {
                case ATTR_ERROR_CODE -> errorCode = (m[value + 2] & 0x07) * 100 + (m[value + 3] & 0xFF);
                case ATTR_REALM -> realm = new String(m, value, len, StandardCharsets.UTF_8);
                case ATTR_NONCE -> nonce = new String(m, value, len, StandardCharsets.UTF_8);
                case ATTR_XOR_RELAYED_ADDRESS -> relayed = xorAddress(m, value);
                case ATTR_MESSAGE_INTEGRITY -> {
                    if (key != null) {
                        // The HMAC covers the message up to this attribute, with the length ending just after it.
                        byte[] covered = Arrays.copyOf(m, at);
                        ByteBuffer.wrap(covered).putShort(2, (short) (at + 24 - 20));
                        integrityValid = MessageDigest.isEqual(hmacSha1(key, covered), Arrays.copyOfRange(m, value, value + 20));
                    }
                }
                default -> { }
            }
            at = value + (len + 3) / 4 * 4;
        }
        return new Response(success, errorCode, realm, nonce, relayed, integrityValid);
    }

    private static InetSocketAddress xorAddress(byte[] m, int value) {
        int port = ((m[value + 2] & 0xFF) << 8 | (m[value + 3] & 0xFF)) ^ (MAGIC_COOKIE >>> 16);
        byte[] addr = new byte[m[value + 1] == 0x01 ? 4 : 16];
        for (int i = 0; i < addr.length; i++) {
            // IPv4 is XORed with the cookie; IPv6 with the cookie and then the transaction id (bytes 4..19 of the header).
            addr[i] = (byte) (m[value + 4 + i] ^ m[4 + i]);
        }
        try {
            return new InetSocketAddress(InetAddress.getByAddress(addr), port);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        socket.close();
    }
}
