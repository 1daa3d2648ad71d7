package org.huisclos.signaling;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Who a client is, for rate limits only: a keyed hash of its address, never the address itself
 * (nothing here is stored, logged or labelled in clear). The address is the WebSocket's peer, or,
 * when the peer is a trusted proxy (HUISCLOS_TRUSTED_PROXIES, docs/configuration.md), the
 * rightmost {@code X-Forwarded-For} entry that is not itself a trusted proxy. The key of the hash
 * is random per process, so keys mean nothing outside it. An IPv6 client counts by its /64 (one
 * subscriber's network: it can pick any address in it). Thread-safe after construction.
 */
public final class ClientAddresses {
    /** An address or a CIDR block: {@code bits} leading bits of {@code address}. */
    private record Block(byte[] address, int bits) {
        boolean contains(byte[] other) {
            if (other.length != address.length) {
                return false;
            }
            for (int i = 0; i < bits; i++) {
                int mask = 0x80 >>> (i % 8);
                if ((address[i / 8] & mask) != (other[i / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }
    }

    private final List<Block> trusted;
    private final byte[] key = Credentials.newSecret();

    private ClientAddresses(List<Block> trusted) {
        this.trusted = List.copyOf(trusted);
    }

    /** No proxy trusted: the peer's address is the client's. */
    public static ClientAddresses direct() {
        return new ClientAddresses(List.of());
    }

    /**
     * Trusts the proxies of {@code spec}: comma-separated IP addresses or CIDR blocks (IPv4 or
     * IPv6, e.g. {@code 127.0.0.1,10.0.0.0/8,fd00::/8}); blank: none. Throws
     * IllegalArgumentException saying what is wrong.
     */
    public static ClientAddresses trusting(String spec) {
        List<Block> blocks = new ArrayList<>();
        for (String item : spec.split(",")) {
            String s = item.trim();
            if (s.isEmpty()) {
                continue;
            }
            String[] parts = s.split("/", 2);
            byte[] address = literal(parts[0]);
            if (address == null) {
                throw new IllegalArgumentException("'" + s + "' is not an IP address or CIDR block (such as 10.0.0.0/8)");
            }
            int bits = address.length * 8;
            if (parts.length == 2) {
                try {
                    bits = Integer.parseInt(parts[1]);
                } catch (NumberFormatException e) {
                    bits = -1;
                }
                if (bits < 0 || bits > address.length * 8) {
                    throw new IllegalArgumentException("'" + s + "': the prefix length must be 0-" + address.length * 8);
                }
            }
            blocks.add(new Block(address, bits));
        }
        return new ClientAddresses(blocks);
    }

    /** The bytes of an IP literal (never a DNS look-up), or null. */
    private static byte[] literal(String s) {
        if (s.matches("(\\d{1,3}\\.){3}\\d{1,3}")) {
            byte[] v4 = new byte[4];
            String[] octets = s.split("\\.");
            for (int i = 0; i < 4; i++) {
                int o = Integer.parseInt(octets[i]);
                if (o > 255) {
                    return null;
                }
                v4[i] = (byte) o;
            }
            return v4;
        }
        if (!s.contains(":") || !s.matches("[0-9A-Fa-f:.]{2,45}")) {
            return null;
        }
        try {
            return InetAddress.getByName(s).getAddress(); // a literal: parsed, not resolved
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private boolean isTrusted(String address) {
        byte[] bytes = address == null ? null : literal(address.trim());
        return bytes != null && trusted.stream().anyMatch(b -> b.contains(bytes));
    }

    /** The client's address as seen through trusted proxies (in memory only: hash it at once). */
    public String clientOf(String peer, String forwardedFor) {
        if (forwardedFor == null || !isTrusted(peer)) {
            return peer;
        }
        String[] hops = forwardedFor.split(",");
        String client = peer;
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = hops[i].trim();
            if (literal(hop) == null) {
                return client; // garbage: stop at the last address a trusted proxy vouched for
            }
            client = hop;
            if (!isTrusted(hop)) {
                return hop;
            }
        }
        return client;
    }

    /** The keyed hash (base64url, 128 bits) of the client behind {@code peer}; of its /64 for IPv6. */
    String keyOf(String peer, String forwardedFor) {
        String client = String.valueOf(clientOf(peer, forwardedFor));
        byte[] address = literal(client);
        byte[] counted = address == null ? client.getBytes(StandardCharsets.UTF_8)
                : address.length == 16 ? java.util.Arrays.copyOf(address, 8) : address;
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] tag = mac.doFinal(counted);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(tag, 16));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }
}
