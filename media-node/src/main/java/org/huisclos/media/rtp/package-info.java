/** RTP packets (RFC 3550) read and rewritten in place, RTX (RFC 4588), the per-stream packet cache and statistics. */
package org.huisclos.media.rtp;
