package org.huisclos.media.dtls;

import java.util.List;
import org.huisclos.media.srtp.SrtpProfile;

/**
 * The load generator's door to {@link DtlsSession}'s package-private constructor that restricts the SRTP
 * profiles a client offers or a server accepts (so a run can force AES_CM or GCM). Lives in the loadgen module,
 * in media-node's package (class path only), so that media-node needs no change for the benchmark.
 */
public final class LoadgenDtls {
    private LoadgenDtls() {
    }

    public static DtlsSession client(DtlsCertificate local, String remoteFingerprint, DatagramSink sink,
                                     SrtpProfile profile) {
        return session(local, remoteFingerprint, sink, DtlsRole.CLIENT, profile);
    }

    /** A session in either role (Janus answers a=setup:active, which makes the generator the DTLS server). */
    public static DtlsSession session(DtlsCertificate local, String remoteFingerprint, DatagramSink sink,
                                      DtlsRole role, SrtpProfile profile) {
        List<SrtpProfile> profiles = profile == null ? DtlsSrtpPolicy.DEFAULT_PROFILES : List.of(profile);
        return new DtlsSession(local, remoteFingerprint, sink, role, profiles,
                DtlsSrtpPolicy.DEFAULT_HANDSHAKE_TIMEOUT_MILLIS);
    }
}
