package org.huisclos.media;

/**
 * What a media node needs to start; read from the environment by the launcher (see
 * docs/configuration.md for every variable and its default).
 *
 * @param publicAddress the address put in candidates: browsers send media there
 * @param capacity      participants the node accepts
 * @param rembBitrate   the receive bitrate the node tells each publisher it may send video at (bits/s)
 */
public record MediaNodeConfig(String nodeId, String bindAddress, int udpPort, String publicAddress, int capacity,
                              long rembBitrate) {
}
