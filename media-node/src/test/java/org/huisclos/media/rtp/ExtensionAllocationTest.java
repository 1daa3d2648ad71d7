package org.huisclos.media.rtp;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/** What the node will read per packet from header extensions and VP8 descriptors allocates nothing. */
class ExtensionAllocationTest {
    static final int PACKETS = 10_000;

    final byte[] oneByte = HeaderExtensionsTest.rfc8285OneByteExample();
    final byte[] twoByte = HeaderExtensionsTest.rfc8285TwoByteExample();
    final byte[] rid = HeaderExtensionsTest.withRid("h");
    final byte[][] rids = {HeaderExtensionsTest.ascii("q"), HeaderExtensionsTest.ascii("h")};
    final byte[] vp8 = Vp8DescriptorTest.descriptor(0x10, 0x1234, true, 7, 1, true, 3, 0x10);
    final byte[] out = new byte[1500];
    long sink;

    @Test
    void headerExtensionsAndVp8DescriptorsAllocateNothing() {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeTrue(threads.isThreadAllocatedMemorySupported());
        threads.setThreadAllocatedMemoryEnabled(true);
        run(3 * PACKETS); // warm-up, so the measured loop runs compiled code
        long before = threads.getCurrentThreadAllocatedBytes();
        run(PACKETS);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated < 16 * 1024, "allocated " + allocated + " bytes for " + PACKETS + " packets");
        assertTrue(sink != 0);
    }

    private void run(int packets) {
        for (int i = 0; i < packets; i++) {
            sink += HeaderExtensions.find(oneByte, 0, oneByte.length, 3);
            sink += HeaderExtensions.audioLevel(oneByte, 0, oneByte.length, 1);
            sink += HeaderExtensions.find(twoByte, 0, twoByte.length, 200);
            sink += HeaderExtensions.ridIndex(rid, 0, rid.length, 4, rids);
            sink += HeaderExtensions.matchesRid(rid, 0, rid.length, 4, rids[1]) ? 1 : 0;
            int n = HeaderExtensions.insertTransportSequence(oneByte, 0, oneByte.length, out, 0, 9, i);
            HeaderExtensions.setTransportSequence(out, 0, n, 9, i + 1);
            sink += HeaderExtensions.transportSequence(out, 0, n, 9);
            sink += Vp8Descriptor.pictureId(vp8, 0, vp8.length) + Vp8Descriptor.tl0PicIdx(vp8, 0, vp8.length)
                    + Vp8Descriptor.temporalLayer(vp8, 0, vp8.length) + (Vp8Descriptor.isKeyframe(vp8, 0, vp8.length) ? 1 : 0);
            Vp8Descriptor.setPictureId(vp8, 0, vp8.length, i);
        }
    }
}
