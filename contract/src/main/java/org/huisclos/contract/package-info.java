/** The event-bus contract between signaling instances and media nodes: addresses and message fields. */
package org.huisclos.contract;
