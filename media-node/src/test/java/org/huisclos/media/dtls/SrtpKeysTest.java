package org.huisclos.media.dtls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;
import org.huisclos.media.srtp.SrtpProfile;
import org.junit.jupiter.api.Test;

class SrtpKeysTest {
    /** RFC 5764 §4.2: client_key | server_key | client_salt | server_salt. */
    @Test
    void splitsExporterOutputByRole() {
        SrtpProfile p = SrtpProfile.AES_CM_128_HMAC_SHA1_80;
        byte[] material = new byte[SrtpKeys.keyingMaterialLength(p)];
        for (int i = 0; i < material.length; i++) {
            material[i] = (byte) i;
        }
        SrtpKeys client = SrtpKeys.fromKeyingMaterial(p, material, DtlsRole.CLIENT);
        SrtpKeys server = SrtpKeys.fromKeyingMaterial(p, material, DtlsRole.SERVER);

        assertArrayEquals(Arrays.copyOfRange(material, 0, 16), client.localKey());
        assertArrayEquals(Arrays.copyOfRange(material, 16, 32), server.localKey());
        assertArrayEquals(Arrays.copyOfRange(material, 32, 46), client.localSalt());
        assertArrayEquals(Arrays.copyOfRange(material, 46, 60), server.localSalt());
        assertArrayEquals(client.localKey(), server.remoteKey());
        assertArrayEquals(server.localSalt(), client.remoteSalt());
    }

    @Test
    void toStringNeverShowsKeys() {
        SrtpProfile p = SrtpProfile.AEAD_AES_128_GCM;
        SrtpKeys keys = SrtpKeys.fromKeyingMaterial(p, new byte[SrtpKeys.keyingMaterialLength(p)], DtlsRole.SERVER);
        assertEquals("SrtpKeys[AEAD_AES_128_GCM]", keys.toString());
        keys.localKey()[0] = 1;
        assertFalse(keys.localKey()[0] == 1, "accessors return copies");
    }
}
