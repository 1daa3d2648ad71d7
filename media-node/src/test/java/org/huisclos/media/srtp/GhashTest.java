package org.huisclos.media.srtp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link Ghash} against the GHASH(H, A, C) values of McGrew and Viega's GCM specification ("The Galois/Counter
 * Mode of Operation", the revised spec submitted to NIST), Appendix B, test cases 1–6 (AES-128). GCM as a whole
 * is checked against the JDK's in {@link AesGcmTest} and against RFC 7714 in {@link Rfc7714VectorsTest}.
 */
class GhashTest {
    private static final String H_ZERO_KEY = "66e94bd4ef8a2c3b884cfa59ca342b2e";
    private static final String H_CASES_3_TO_6 = "b83b533708bf535d0aa6e52980d53b78";
    private static final String A_CASES_4_TO_6 = "feedfacedeadbeeffeedfacedeadbeefabaddad2";

    @Test
    void mcGrewViegaTestCase1() {
        check(H_ZERO_KEY, "", "", "00000000000000000000000000000000");
    }

    @Test
    void mcGrewViegaTestCase2() {
        check(H_ZERO_KEY, "", "0388dace60b6a392f328c2b971b2fe78", "f38cbb1ad69223dcc3457ae5b6b0f885");
    }

    @Test
    void mcGrewViegaTestCase3() {
        check(H_CASES_3_TO_6, "",
                "42831ec2217774244b7221b784d0d49c e3aa212f2c02a4e035c17e2329aca12e"
                        + "21d514b25466931c7d8f6a5aac84aa05 1ba30b396a0aac973d58e091473f5985",
                "7f1b32b81b820d02614f8895ac1d4eac");
    }

    @Test
    void mcGrewViegaTestCase4() {
        check(H_CASES_3_TO_6, A_CASES_4_TO_6,
                "42831ec2217774244b7221b784d0d49c e3aa212f2c02a4e035c17e2329aca12e"
                        + "21d514b25466931c7d8f6a5aac84aa05 1ba30b396a0aac973d58e091",
                "698e57f70e6ecc7fd9463b7260a9ae5f");
    }

    @Test
    void mcGrewViegaTestCase5() {
        check(H_CASES_3_TO_6, A_CASES_4_TO_6,
                "61353b4c2806934a777ff51fa22a4755 699b2a714fcdc6f83766e5f97b6c7423"
                        + "73806900e49f24b22b097544d4896b42 4989b5e1ebac0f07c23f4598",
                "df586bb4c249b92cb6922877e444d37b");
    }

    @Test
    void mcGrewViegaTestCase6() {
        check(H_CASES_3_TO_6, A_CASES_4_TO_6,
                "8ce24998625615b603a033aca13fb894 be9112a5c3a211a8ba262a3cca7e2ca7"
                        + "01e4a9a4fba43c90ccdcb281d48c7c6f d62875d2aca417034c34aee5",
                "1c5afe9760d3932f3c9a878aac3dc3de");
    }

    /** Fed in pieces of every size, the hash is that of the concatenation. */
    @Test
    void splitUpdatesHashTheConcatenation() {
        Random random = new Random(38);
        byte[] h = new byte[16];
        byte[] a = new byte[37];
        byte[] c = new byte[301];
        random.nextBytes(h);
        random.nextBytes(a);
        random.nextBytes(c);
        Ghash whole = new Ghash(h);
        byte[] expected = new byte[16];
        whole.update(a, 0, a.length);
        whole.padBlock();
        whole.update(c, 0, c.length);
        whole.finish(a.length, c.length, expected, 0);
        for (int piece = 1; piece <= 40; piece++) {
            Ghash split = new Ghash(h);
            split.reset();
            for (int off = 0; off < a.length; off += piece) {
                split.update(a, off, Math.min(piece, a.length - off));
            }
            split.padBlock();
            for (int off = 0; off < c.length; off += piece) {
                split.update(c, off, Math.min(piece, c.length - off));
            }
            byte[] out = new byte[16];
            split.finish(a.length, c.length, out, 0);
            assertEquals(Hex.encode(expected), Hex.encode(out), "pieces of " + piece);
        }
    }

    private static void check(String h, String a, String c, String expected) {
        byte[] aBytes = Hex.decode(a);
        byte[] cBytes = Hex.decode(c);
        Ghash ghash = new Ghash(Hex.decode(h));
        byte[] out = new byte[16];
        for (int round = 0; round < 2; round++) { // the second round checks that reset() forgets the first
            ghash.reset();
            ghash.update(aBytes, 0, aBytes.length);
            ghash.padBlock();
            ghash.update(cBytes, 0, cBytes.length);
            ghash.finish(aBytes.length, cBytes.length, out, 0);
            assertEquals(expected, Hex.encode(out));
        }
    }
}
