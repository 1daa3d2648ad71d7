/** SRTP and SRTCP (RFC 3711, RFC 7714): per-direction contexts that protect and unprotect packets in place. */
package org.huisclos.media.srtp;
