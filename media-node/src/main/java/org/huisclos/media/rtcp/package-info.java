/** RTCP packets (RFC 3550, 4585, 5104): reading compound packets and writing feedback and reports. */
package org.huisclos.media.rtcp;
