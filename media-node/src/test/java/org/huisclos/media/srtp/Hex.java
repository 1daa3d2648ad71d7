package org.huisclos.media.srtp;

/** Hex for test vectors as the RFCs print them: whitespace between groups is ignored. */
final class Hex {
    private Hex() {
    }

    static byte[] decode(String s) {
        String clean = s.replaceAll("\\s+", "");
        if (clean.length() % 2 != 0) {
            throw new IllegalArgumentException("odd hex length");
        }
        byte[] out = new byte[clean.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(clean.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }

    static String encode(byte[] b, int off, int len) {
        StringBuilder sb = new StringBuilder();
        for (int i = off; i < off + len; i++) {
            sb.append(String.format("%02x", b[i]));
        }
        return sb.toString();
    }

    static String encode(byte[] b) {
        return encode(b, 0, b.length);
    }
}
