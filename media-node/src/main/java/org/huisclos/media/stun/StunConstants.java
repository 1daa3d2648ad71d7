package org.huisclos.media.stun;

/**
 * Wire constants of STUN (RFC 5389 §6, §15; unchanged in RFC 8489) and of the ICE attributes
 * (RFC 8445 §16.1), plus the method/class packing of the 14-bit message type.
 */
public final class StunConstants {
    public static final int HEADER_LENGTH = 20;
    public static final int MAGIC_COOKIE = 0x2112A442;
    public static final int TRANSACTION_ID_OFFSET = 8;
    public static final int TRANSACTION_ID_LENGTH = 12;
    /** XORed into the CRC-32 so FINGERPRINT cannot be mistaken for a CRC another protocol carries. */
    public static final int FINGERPRINT_XOR = 0x5354554E;
    /** HMAC-SHA1 output; MESSAGE-INTEGRITY always carries exactly this much. */
    public static final int INTEGRITY_LENGTH = 20;
    /** RFC 5389 §15.3: USERNAME is shorter than 513 bytes. */
    public static final int MAX_USERNAME_LENGTH = 513;
    /** RFC 5389 §15.10: SOFTWARE is fewer than 128 characters, at most 763 bytes. */
    public static final int MAX_SOFTWARE_LENGTH = 763;

    public static final int METHOD_BINDING = 0x001;

    public static final int CLASS_REQUEST = 0b00;
    public static final int CLASS_INDICATION = 0b01;
    public static final int CLASS_SUCCESS = 0b10;
    public static final int CLASS_ERROR = 0b11;

    public static final int BINDING_REQUEST = 0x0001;
    public static final int BINDING_INDICATION = 0x0011;
    public static final int BINDING_SUCCESS = 0x0101;
    public static final int BINDING_ERROR = 0x0111;

    // Attribute types. Below 0x8000 they are comprehension-required, from 0x8000 optional.
    public static final int ATTR_MAPPED_ADDRESS = 0x0001;
    public static final int ATTR_USERNAME = 0x0006;
    public static final int ATTR_MESSAGE_INTEGRITY = 0x0008;
    public static final int ATTR_ERROR_CODE = 0x0009;
    public static final int ATTR_UNKNOWN_ATTRIBUTES = 0x000A;
    public static final int ATTR_XOR_MAPPED_ADDRESS = 0x0020;
    public static final int ATTR_PRIORITY = 0x0024;
    public static final int ATTR_USE_CANDIDATE = 0x0025;
    public static final int ATTR_SOFTWARE = 0x8022;
    public static final int ATTR_FINGERPRINT = 0x8028;
    public static final int ATTR_ICE_CONTROLLED = 0x8029;
    public static final int ATTR_ICE_CONTROLLING = 0x802A;

    private StunConstants() {
    }

    /** Packs a 12-bit method and 2-bit class into the type field (RFC 5389 §6, figure 3). */
    public static int messageType(int method, int messageClass) {
        return (method & 0x000F) | ((method & 0x0070) << 1) | ((method & 0x0F80) << 2)
                | ((messageClass & 1) << 4) | ((messageClass & 2) << 7);
    }

    public static int method(int messageType) {
        return (messageType & 0x000F) | ((messageType & 0x00E0) >> 1) | ((messageType & 0x3E00) >> 2);
    }

    public static int messageClass(int messageType) {
        return ((messageType >> 4) & 1) | ((messageType >> 7) & 2);
    }

    public static boolean isComprehensionRequired(int attributeType) {
        return attributeType < 0x8000;
    }

    /** Attribute values are padded to a multiple of four bytes. */
    static int padded(int length) {
        return (length + 3) & ~3;
    }
}
