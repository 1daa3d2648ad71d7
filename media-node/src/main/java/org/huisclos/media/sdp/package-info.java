/** SDP (RFC 8866, JSEP): the offers the media node makes and the answers browsers return. */
package org.huisclos.media.sdp;
