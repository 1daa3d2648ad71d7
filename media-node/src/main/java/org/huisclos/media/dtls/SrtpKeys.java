package org.huisclos.media.dtls;

import java.util.Arrays;
import java.util.Objects;
import org.huisclos.media.srtp.SrtpProfile;

/**
 * SRTP master keys and salts negotiated by DTLS-SRTP, seen from one endpoint: "local" protects what this
 * endpoint sends, "remote" unprotects what it receives. Arrays are copied in and out so callers cannot alter them.
 */
public record SrtpKeys(SrtpProfile profile, byte[] localKey, byte[] localSalt, byte[] remoteKey, byte[] remoteSalt) {

    public SrtpKeys {
        Objects.requireNonNull(profile, "profile");
        localKey = checked(localKey, profile.keyLength, "localKey");
        remoteKey = checked(remoteKey, profile.keyLength, "remoteKey");
        localSalt = checked(localSalt, profile.saltLength, "localSalt");
        remoteSalt = checked(remoteSalt, profile.saltLength, "remoteSalt");
    }

    /**
     * Splits exporter output laid out as client_key | server_key | client_salt | server_salt (RFC 5764 §4.2).
     */
    static SrtpKeys fromKeyingMaterial(SrtpProfile profile, byte[] material, DtlsRole localRole) {
        int k = profile.keyLength;
        int s = profile.saltLength;
        if (material.length != 2 * (k + s)) {
            throw new IllegalArgumentException("keying material must be " + 2 * (k + s) + " bytes");
        }
        byte[] clientKey = Arrays.copyOfRange(material, 0, k);
        byte[] serverKey = Arrays.copyOfRange(material, k, 2 * k);
        byte[] clientSalt = Arrays.copyOfRange(material, 2 * k, 2 * k + s);
        byte[] serverSalt = Arrays.copyOfRange(material, 2 * k + s, 2 * (k + s));
        return localRole == DtlsRole.SERVER
                ? new SrtpKeys(profile, serverKey, serverSalt, clientKey, clientSalt)
                : new SrtpKeys(profile, clientKey, clientSalt, serverKey, serverSalt);
    }

    /** Bytes needed from the exporter for {@code profile}. */
    static int keyingMaterialLength(SrtpProfile profile) {
        return 2 * (profile.keyLength + profile.saltLength);
    }

    @Override
    public byte[] localKey() {
        return localKey.clone();
    }

    @Override
    public byte[] localSalt() {
        return localSalt.clone();
    }

    @Override
    public byte[] remoteKey() {
        return remoteKey.clone();
    }

    @Override
    public byte[] remoteSalt() {
        return remoteSalt.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SrtpKeys other
                && profile == other.profile
                && Arrays.equals(localKey, other.localKey)
                && Arrays.equals(localSalt, other.localSalt)
                && Arrays.equals(remoteKey, other.remoteKey)
                && Arrays.equals(remoteSalt, other.remoteSalt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(profile, Arrays.hashCode(localKey), Arrays.hashCode(remoteKey));
    }

    /** Never prints key material: these objects may end up in logs. */
    @Override
    public String toString() {
        return "SrtpKeys[" + profile + "]";
    }

    private static byte[] checked(byte[] value, int length, String name) {
        Objects.requireNonNull(value, name);
        if (value.length != length) {
            throw new IllegalArgumentException(name + " must be " + length + " bytes");
        }
        return value.clone();
    }
}
