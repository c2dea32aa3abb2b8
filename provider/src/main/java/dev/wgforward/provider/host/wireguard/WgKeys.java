package dev.wgforward.provider.host.wireguard;

import dev.wgforward.provider.check.Validators;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPrivateKeySpec;
import java.security.spec.XECPublicKeySpec;
import java.util.Base64;
import javax.crypto.KeyAgreement;

/**
 * WireGuard keys (Curve25519, RFC 7748) made with the JDK's own X25519, so that no key has to be
 * generated on, or copied from, a remote host.
 */
public final class WgKeys {
    private WgKeys() {}

    private static final int KEY_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();
    /** RFC 7748's base point: X25519(k, 9) is the public key of k. */
    private static final byte[] BASE_POINT = littleEndianU(9);

    /** A new key pair, as {@code wg genkey | tee priv | wg pubkey} would make. */
    public static WgKeyPair generate() {
        byte[] privateKey = new byte[KEY_BYTES];
        RANDOM.nextBytes(privateKey);
        // wg genkey stores the key already clamped (RFC 7748 decodeScalar25519); X25519 clamps
        // again when it uses the key, so this only matters for byte-identical output.
        privateKey[0] &= (byte) 248;
        privateKey[31] &= (byte) 127;
        privateKey[31] |= (byte) 64;
        String privateBase64 = Base64.getEncoder().encodeToString(privateKey);
        return new WgKeyPair(privateBase64, publicKeyOf(privateBase64));
    }

    /**
     * The public key of a private key, as {@code wg pubkey} prints it.
     *
     * @throws IllegalArgumentException when the argument is not a WireGuard key (the message never
     *     contains the key)
     */
    public static String publicKeyOf(String privateKeyBase64) {
        Validators.wireguardKey(privateKeyBase64).ifPresent(reason -> {
            throw new IllegalArgumentException("private key " + reason);
        });
        byte[] scalar = Base64.getDecoder().decode(privateKeyBase64);
        return Base64.getEncoder().encodeToString(x25519(scalar, BASE_POINT));
    }

    /** Whether {@code key} is 32 bytes in standard, padded base64 (44 characters). */
    public static boolean isValidKey(String key) {
        return Validators.wireguardKey(key).isEmpty();
    }

    /**
     * RFC 7748's X25519 function on the byte encodings: the scalar and the u-coordinate are both
     * 32 bytes, little-endian, and so is the result.
     */
    static byte[] x25519(byte[] scalar, byte[] uCoordinate) {
        if (scalar.length != KEY_BYTES || uCoordinate.length != KEY_BYTES) {
            throw new IllegalArgumentException("X25519 takes 32-byte inputs");
        }
        try {
            KeyFactory keyFactory = KeyFactory.getInstance("XDH");
            // XECPrivateKeySpec takes the scalar as RFC 7748 bytes, and clamps it when used.
            PrivateKey privateKey = keyFactory.generatePrivate(new XECPrivateKeySpec(NamedParameterSpec.X25519, scalar.clone()));
            // XECPublicKeySpec, unlike the private spec, takes u as a number: the little-endian
            // bytes have to be reversed, and RFC 7748 says the unused top bit is ignored.
            PublicKey peer = keyFactory.generatePublic(new XECPublicKeySpec(NamedParameterSpec.X25519, uFromLittleEndian(uCoordinate)));
            KeyAgreement agreement = KeyAgreement.getInstance("X25519");
            agreement.init(privateKey);
            agreement.doPhase(peer, true);
            return agreement.generateSecret();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("X25519 failed: " + e.getMessage(), e);
        }
    }

    private static BigInteger uFromLittleEndian(byte[] littleEndian) {
        byte[] bigEndian = new byte[littleEndian.length];
        for (int i = 0; i < littleEndian.length; i++) {
            bigEndian[i] = littleEndian[littleEndian.length - 1 - i];
        }
        bigEndian[0] &= 0x7f;
        return new BigInteger(1, bigEndian);
    }

    private static byte[] littleEndianU(int u) {
        byte[] bytes = new byte[KEY_BYTES];
        bytes[0] = (byte) u;
        return bytes;
    }
}
