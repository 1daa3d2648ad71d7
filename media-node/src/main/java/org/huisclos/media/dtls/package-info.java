/** DTLS 1.2 with the DTLS-SRTP extension (RFC 5764) on Bouncy Castle: certificates, fingerprints and handshakes. */
package org.huisclos.media.dtls;
