package org.huisclos.media.stun;

import static org.huisclos.media.bytes.Bytes.i32;
import static org.huisclos.media.bytes.Bytes.i64;
import static org.huisclos.media.stun.StunConstants.*;

/**
 * Where the attributes ICE cares about sit in the parsed buffer, filled by {@link StunMessage#parse}.
 * Offsets are absolute and -1 when absent; they point at the value, except for integrity and
 * fingerprint, which point at the attribute's type field because that is where the hashed range ends.
 */
final class StunAttributeIndex {
    static final int MAX_UNKNOWN = 4;

    int usernameOff;
    int usernameLen;
    int integrityOff;
    int fingerprintOff;
    int errorCodeOff;
    int errorCodeLen;
    int xorAddressOff;
    int xorAddressLen;
    int softwareOff;
    int softwareLen;
    long priority;
    boolean useCandidate;
    boolean iceControlling;
    boolean iceControlled;
    long tieBreaker;
    final int[] unknownTypes = new int[MAX_UNKNOWN];
    int unknownCount;

    StunAttributeIndex() {
        reset();
    }

    void reset() {
        usernameOff = integrityOff = fingerprintOff = errorCodeOff = xorAddressOff = softwareOff = -1;
        usernameLen = errorCodeLen = xorAddressLen = softwareLen = 0;
        priority = -1;
        useCandidate = iceControlling = iceControlled = false;
        tieBreaker = 0;
        unknownCount = 0;
    }

    /**
     * Records the attribute at {@code at}; only the first occurrence of each counts (RFC 5389 §15).
     * Returns false if its size is invalid for its type.
     */
    boolean record(byte[] buf, int attrType, int at, int attrLen) {
        int value = at + 4;
        switch (attrType) {
            case ATTR_USERNAME:
                if (attrLen > MAX_USERNAME_LENGTH) return false;
                if (usernameOff < 0) { usernameOff = value; usernameLen = attrLen; }
                return true;
            case ATTR_MESSAGE_INTEGRITY:
                integrityOff = at; // the parser ignores any later one
                return attrLen == INTEGRITY_LENGTH;
            case ATTR_FINGERPRINT:
                fingerprintOff = at; // the parser rejects anything after it
                return attrLen == 4;
            case ATTR_PRIORITY:
                if (attrLen != 4) return false;
                if (priority < 0) priority = i32(buf, value) & 0xFFFFFFFFL;
                return true;
            case ATTR_USE_CANDIDATE:
                useCandidate = true;
                return attrLen == 0;
            case ATTR_ICE_CONTROLLING:
            case ATTR_ICE_CONTROLLED:
                if (attrLen != 8) return false;
                if (!iceControlling && !iceControlled) tieBreaker = i64(buf, value);
                iceControlling |= attrType == ATTR_ICE_CONTROLLING;
                iceControlled |= attrType == ATTR_ICE_CONTROLLED;
                return true;
            case ATTR_ERROR_CODE:
                if (attrLen < 4) return false;
                if (errorCodeOff < 0) { errorCodeOff = value; errorCodeLen = attrLen; }
                return true;
            case ATTR_XOR_MAPPED_ADDRESS:
                if (attrLen != 8 && attrLen != 20) return false;
                if (xorAddressOff < 0) { xorAddressOff = value; xorAddressLen = attrLen; }
                return true;
            case ATTR_SOFTWARE:
                if (attrLen > MAX_SOFTWARE_LENGTH) return false;
                if (softwareOff < 0) { softwareOff = value; softwareLen = attrLen; }
                return true;
            case ATTR_MAPPED_ADDRESS:
            case ATTR_UNKNOWN_ATTRIBUTES:
                return true; // understood, but of no use to ICE
            default:
                // Unknown optional attributes are ignored; required ones are remembered so the
                // caller can answer a request with 420 (RFC 5389 §7.3.1).
                if (isComprehensionRequired(attrType) && unknownCount < MAX_UNKNOWN) {
                    unknownTypes[unknownCount++] = attrType;
                }
                return true;
        }
    }
}
