package org.huisclos.registry;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import java.security.SecureRandom;

/**
 * Secrets every process of one deployment must share: the room-key secret (so that every
 * signaling instance turns a room name into the same key) and the session secret (so that any
 * instance can check a participant's resume token). Taken from the configuration when given,
 * else made once, at random, by the first member and kept in the cluster's memory only.
 */
public final class ClusterSecrets {
    public static final String MAP = "huisclos-secrets";

    private final byte[] roomKeySecret;
    private final byte[] sessionSecret;

    private ClusterSecrets(byte[] roomKeySecret, byte[] sessionSecret) {
        this.roomKeySecret = roomKeySecret;
        this.sessionSecret = sessionSecret;
    }

    /** @param configuredRoomKeySecret the configured room-key secret, or null to share a random one */
    public static ClusterSecrets of(HazelcastInstance hazelcast, byte[] configuredRoomKeySecret) {
        IMap<String, byte[]> map = hazelcast.getMap(MAP);
        byte[] room = configuredRoomKeySecret != null ? configuredRoomKeySecret : shared(map, "room-key");
        return new ClusterSecrets(room, shared(map, "session"));
    }

    private static byte[] shared(IMap<String, byte[]> map, String name) {
        byte[] mine = new byte[32];
        new SecureRandom().nextBytes(mine);
        byte[] theirs = map.putIfAbsent(name, mine);
        return theirs != null ? theirs : mine;
    }

    public byte[] roomKeySecret() {
        return roomKeySecret.clone();
    }

    public byte[] sessionSecret() {
        return sessionSecret.clone();
    }
}
