/**
 * Bandwidth estimation toward one subscriber, Google Congestion Control style (draft-ietf-rmcat-gcc-02),
 * from the transport-wide feedback the subscriber sends: {@link org.huisclos.media.bwe.SendSideEstimator}.
 */
package org.huisclos.media.bwe;
