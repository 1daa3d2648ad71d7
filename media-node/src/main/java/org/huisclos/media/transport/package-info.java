/** The UDP socket and its demultiplexer (RFC 7983): STUN, DTLS and SRTP on one port, endpoints by ufrag and address. */
package org.huisclos.media.transport;
