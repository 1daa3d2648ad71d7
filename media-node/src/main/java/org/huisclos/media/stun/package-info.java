/** STUN (RFC 5389/8489) messages for ICE-lite: parsing, integrity and fingerprint checks, and binding responses. */
package org.huisclos.media.stun;
