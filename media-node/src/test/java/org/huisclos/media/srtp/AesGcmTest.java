package org.huisclos.media.srtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** Our allocation-free GCM against the JDK's AES/GCM/NoPadding, over lengths that hit every block boundary. */
class AesGcmTest {
    @Test
    void matchesJdkGcmForManyLengths() throws Exception {
        Random random = new Random(7714);
        for (int textLength = 0; textLength <= 1100; textLength += textLength < 70 ? 1 : 97) {
            for (int aadLength : new int[] {0, 1, 12, 16, 17, 40}) {
                byte[] key = new byte[16];
                byte[] iv = new byte[12];
                byte[] aad = new byte[aadLength];
                byte[] text = new byte[textLength];
                random.nextBytes(key);
                random.nextBytes(iv);
                random.nextBytes(aad);
                random.nextBytes(text);

                Cipher jdk = Cipher.getInstance("AES/GCM/NoPadding");
                jdk.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, iv));
                jdk.updateAAD(aad);
                byte[] expected = jdk.doFinal(text);

                AesGcm gcm = new AesGcm(key);
                byte[] buf = Arrays.copyOf(text, textLength + 16);
                gcm.begin(iv, 0);
                // AAD in two pieces, as SRTCP feeds it.
                gcm.aad(aad, 0, aadLength / 2);
                gcm.aad(aad, aadLength / 2, aadLength - aadLength / 2);
                gcm.encrypt(buf, 0, textLength);
                gcm.tag(buf, textLength);
                assertArrayEquals(expected, buf, "text " + textLength + " aad " + aadLength);

                gcm.begin(iv, 0);
                gcm.aad(aad, 0, aadLength);
                gcm.authenticateCiphertext(buf, 0, textLength);
                assertTrue(gcm.verify(buf, textLength));
                gcm.decrypt(buf, 0, textLength);
                assertArrayEquals(text, Arrays.copyOf(buf, textLength));
            }
        }
    }
}
