/**
 * RTCP packets (RFC 3550, 4585, 5104): reading compound packets and writing feedback and reports,
 * including transport-wide congestion control feedback (draft-holmer-rmcat-transport-wide-cc-extensions-01).
 */
package org.huisclos.media.rtcp;
