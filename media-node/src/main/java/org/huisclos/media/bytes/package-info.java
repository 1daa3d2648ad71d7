/** Network byte order (big-endian) reads and writes on packet buffers, and the constant-time tag comparison. */
package org.huisclos.media.bytes;
