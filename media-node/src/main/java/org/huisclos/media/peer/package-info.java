/**
 * The client side of a media node's protocol, written for machines rather than browsers: the
 * pieces the Java test peer and the load generator share (reading the node's offers, answering
 * them, the ICE checks of a controlling agent).
 */
package org.huisclos.media.peer;
