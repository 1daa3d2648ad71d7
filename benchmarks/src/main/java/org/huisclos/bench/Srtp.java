package org.huisclos.bench;

import java.lang.reflect.Field;
import java.security.GeneralSecurityException;
import java.security.Provider;
import java.security.Security;
import java.util.ArrayList;
import java.util.List;
import org.huisclos.media.srtp.SrtpContext;
import org.huisclos.media.srtp.SrtpProfile;
import org.jitsi.srtp.SrtpContextFactory;
import org.jitsi.srtp.SrtpCryptoContext;
import org.jitsi.srtp.SrtpErrorStatus;
import org.jitsi.srtp.SrtpPolicy;
import org.jitsi.srtp.crypto.Aes;
import org.jitsi.utils.logging2.Logger;
import org.jitsi.utils.logging2.LoggerImpl;

/**
 * One SRTP direction (protect or unprotect) of one RTP stream, behind a common interface so the benchmark and
 * the interoperability test drive Huisclos' {@link SrtpContext} and jitsi-srtp the same way.
 */
public abstract class Srtp {
    /** Room every packet buffer leaves after the RTP packet for the tag. */
    static final int SPARE = 64;

    /** Returns the new length, or a negative value on failure. */
    abstract int protect(byte[] buf, int off, int len);

    /** Returns the new length, or a negative value on failure. */
    abstract int unprotect(byte[] buf, int off, int len);

    /** The implementations compared. */
    public enum Impl {
        /** Huisclos' SRTP (org.huisclos.media.srtp). */
        HUISCLOS,
        /** jitsi-srtp with its default crypto selection (it benchmarks OpenSSL, SunJCE, BC... and picks). */
        JITSI,
        /** jitsi-srtp forced onto the SunJCE provider for AES and HMAC-SHA1 (no native code). */
        JITSI_JCE
    }

    static Srtp create(Impl impl, SrtpProfile profile, boolean sender, byte[] key, byte[] salt, int ssrc) {
        switch (impl) {
            case HUISCLOS:
                return new Ours(new SrtpContext(profile, key, salt));
            case JITSI:
                return Jitsi.create(profile, sender, key, salt, ssrc);
            case JITSI_JCE:
                forceJitsiJce();
                return Jitsi.create(profile, sender, key, salt, ssrc);
            default:
                throw new AssertionError(impl);
        }
    }

    private static boolean jceForced;

    /**
     * Makes jitsi-srtp use SunJCE only. AES: its public {@link Aes#setFactoryClassName}. HMAC-SHA1: jitsi-srtp has
     * no switch (it prefers its OpenSSL provider whenever the native library loads), so the benchmark harness
     * pre-seeds the private provider list of {@code org.jitsi.srtp.crypto.HmacSha1} by reflection. Call before the
     * first jitsi context is made in this JVM.
     */
    static synchronized void forceJitsiJce() {
        if (jceForced) {
            return;
        }
        Aes.setFactoryClassName("SunJCE");
        try {
            Class<?> hmac = Class.forName("org.jitsi.srtp.crypto.HmacSha1");
            Field providers = hmac.getDeclaredField("providers");
            providers.setAccessible(true);
            List<Provider> only = new ArrayList<>();
            only.add(Security.getProvider("SunJCE"));
            providers.set(null, only);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot force jitsi-srtp's HMAC onto SunJCE", e);
        }
        jceForced = true;
    }

    static final class Ours extends Srtp {
        private final SrtpContext ctx;

        Ours(SrtpContext ctx) {
            this.ctx = ctx;
        }

        @Override
        int protect(byte[] buf, int off, int len) {
            return ctx.protectRtp(buf, off, len);
        }

        @Override
        int unprotect(byte[] buf, int off, int len) {
            return ctx.unprotectRtp(buf, off, len);
        }
    }

    static final class Jitsi extends Srtp {
        private static final Logger LOGGER = new LoggerImpl("huisclos-bench");
        private final SrtpCryptoContext ctx;
        private final PacketBuffer wrapper = new PacketBuffer(new byte[0], 0, 0);
        private byte[] wrapped;

        private Jitsi(SrtpCryptoContext ctx) {
            this.ctx = ctx;
        }

        static SrtpPolicy policy(SrtpProfile profile) {
            SrtpPolicy p;
            switch (profile) {
                case AEAD_AES_128_GCM:
                    p = new SrtpPolicy(SrtpPolicy.AESGCM_ENCRYPTION, 16, SrtpPolicy.NULL_AUTHENTICATION, 0, 16, 12);
                    break;
                case AES_CM_128_HMAC_SHA1_80:
                    p = new SrtpPolicy(SrtpPolicy.AESCM_ENCRYPTION, 16, SrtpPolicy.HMACSHA1_AUTHENTICATION, 20, 10,
                            14);
                    break;
                default:
                    throw new AssertionError(profile);
            }
            return p;
        }

        static Jitsi create(SrtpProfile profile, boolean sender, byte[] key, byte[] salt, int ssrc) {
            SrtpPolicy policy = policy(profile);
            SrtpContextFactory factory = new SrtpContextFactory(sender, key, salt, policy, policy, LOGGER);
            try {
                return new Jitsi(factory.deriveContext(ssrc, 0));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        private PacketBuffer wrap(byte[] buf, int off, int len) {
            if (wrapped != buf) {
                wrapped = buf;
                wrapper.setBuffer(buf);
            }
            wrapper.reset(off, len);
            return wrapper;
        }

        @Override
        int protect(byte[] buf, int off, int len) {
            PacketBuffer b = wrap(buf, off, len);
            try {
                SrtpErrorStatus s = ctx.transformPacket(b);
                return s == SrtpErrorStatus.OK ? b.getLength() : -1 - s.ordinal();
            } catch (GeneralSecurityException e) {
                return -100;
            }
        }

        @Override
        int unprotect(byte[] buf, int off, int len) {
            PacketBuffer b = wrap(buf, off, len);
            try {
                SrtpErrorStatus s = ctx.reverseTransformPacket(b, false);
                return s == SrtpErrorStatus.OK ? b.getLength() : -1 - s.ordinal();
            } catch (GeneralSecurityException e) {
                return -100;
            }
        }
    }
}
