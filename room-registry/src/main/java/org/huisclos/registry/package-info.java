/** The room registry: cluster state (rooms, media nodes) in Hazelcast maps. */
package org.huisclos.registry;
