package org.huisclos.media.dtls;

/**
 * Which side of the DTLS handshake this endpoint plays. Browsers answer {@code a=setup:active}, so the SFU is
 * normally the {@link #SERVER}; relay links between nodes and the Java test peer use {@link #CLIENT}.
 */
public enum DtlsRole {
    SERVER,
    CLIENT
}
