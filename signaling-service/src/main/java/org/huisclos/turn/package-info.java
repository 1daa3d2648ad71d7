/** TURN for browsers whose network lets only a TURN port through: the servers and the ephemeral credentials handed to them. */
package org.huisclos.turn;
