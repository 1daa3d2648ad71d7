/** Forwarding: rooms, publishers' streams and subscribers; the per-packet path from one endpoint to the others. */
package org.huisclos.media.forward;
