/**
 * The media ports: the UDP socket, and the ICE-TCP port (RFC 6544, RFC 4571 framing) for networks
 * that block UDP. Both hand packets to the demultiplexer (RFC 7983); endpoints send on a {@link
 * org.huisclos.media.transport.Path}, UDP or TCP.
 */
package org.huisclos.media.transport;
