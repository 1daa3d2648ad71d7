/** The signaling service: HTTP, the web client, and the WebSocket client protocol. */
package org.huisclos.signaling;
