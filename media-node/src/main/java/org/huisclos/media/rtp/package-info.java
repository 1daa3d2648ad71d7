/** RTP packets (RFC 3550) read and rewritten in place, header extensions (RFC 8285), the per-stream packet cache. */
package org.huisclos.media.rtp;
