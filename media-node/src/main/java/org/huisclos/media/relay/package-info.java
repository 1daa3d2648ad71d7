/** Relay links: one room across several media nodes, each link a special endpoint (docs/cluster-protocol.md). */
package org.huisclos.media.relay;
