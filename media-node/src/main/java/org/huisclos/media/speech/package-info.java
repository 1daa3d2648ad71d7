/**
 * Who is speaking in a room: audio levels (RFC 6464) read per packet on the I/O thread become, once per
 * tick on the event loop, the dominant speaker and the order of recent speakers that last-N follows.
 */
package org.huisclos.media.speech;
