package dev.wgforward.provider.host.wireguard;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class WgKeysTest {
    // RFC 7748, section 6.1.
    private static final String ALICE_PRIVATE = "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a";
    private static final String ALICE_PUBLIC = "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a";
    private static final String BOB_PRIVATE = "5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb";
    private static final String BOB_PUBLIC = "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f";
    private static final String SHARED_SECRET = "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742";

    private static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex);
    }

    private static String base64OfHex(String hex) {
        return Base64.getEncoder().encodeToString(hex(hex));
    }

    @Test
    void publicKeysOfRfc7748Section61() {
        // The RFC's private keys are not clamped: X25519 clamps them itself, as wg pubkey does.
        assertEquals(base64OfHex(ALICE_PUBLIC), WgKeys.publicKeyOf(base64OfHex(ALICE_PRIVATE)));
        assertEquals(base64OfHex(BOB_PUBLIC), WgKeys.publicKeyOf(base64OfHex(BOB_PRIVATE)));
    }

    @Test
    void sharedSecretOfRfc7748Section61() {
        assertArrayEquals(hex(SHARED_SECRET), WgKeys.x25519(hex(ALICE_PRIVATE), hex(BOB_PUBLIC)));
        assertArrayEquals(hex(SHARED_SECRET), WgKeys.x25519(hex(BOB_PRIVATE), hex(ALICE_PUBLIC)));
    }

    @Test
    void x25519OfRfc7748Section52() {
        assertArrayEquals(hex("c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552"),
                WgKeys.x25519(hex("a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4"),
                        hex("e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c")));
        // This u-coordinate has its top bit set, which X25519 must ignore.
        assertArrayEquals(hex("95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957"),
                WgKeys.x25519(hex("4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d"),
                        hex("e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493")));
        // First step of the iterated test: k = u = 9.
        byte[] nine = new byte[32];
        nine[0] = 9;
        assertArrayEquals(hex("422c8e7a6227d7bca1350b3e2bb7279f7897b87bb6854b783c60e80311ae3079"), WgKeys.x25519(nine, nine));
    }

    @Test
    void generatedPairIsConsistentAndClamped() {
        WgKeyPair pair = WgKeys.generate();
        assertTrue(WgKeys.isValidKey(pair.privateKey()));
        assertTrue(WgKeys.isValidKey(pair.publicKey()));
        assertEquals(44, pair.privateKey().length());
        assertEquals(pair.publicKey(), WgKeys.publicKeyOf(pair.privateKey()));
        byte[] privateBytes = Base64.getDecoder().decode(pair.privateKey());
        assertEquals(0, privateBytes[0] & 7);
        assertEquals(0x40, privateBytes[31] & 0xc0);
        // Each side's secret from the other's public key agrees, as WireGuard's handshake needs.
        WgKeyPair other = WgKeys.generate();
        assertNotEquals(pair.privateKey(), other.privateKey());
        assertArrayEquals(
                WgKeys.x25519(privateBytes, Base64.getDecoder().decode(other.publicKey())),
                WgKeys.x25519(Base64.getDecoder().decode(other.privateKey()), Base64.getDecoder().decode(pair.publicKey())));
    }

    @Test
    void isValidKey() {
        assertTrue(WgKeys.isValidKey(base64OfHex(ALICE_PUBLIC)));
        assertFalse(WgKeys.isValidKey(null));
        assertFalse(WgKeys.isValidKey(""));
        assertFalse(WgKeys.isValidKey(base64OfHex(ALICE_PUBLIC).substring(0, 43)));
        assertFalse(WgKeys.isValidKey(Base64.getEncoder().encodeToString(new byte[31])));
        assertFalse(WgKeys.isValidKey(Base64.getEncoder().encodeToString(new byte[33])));
        assertFalse(WgKeys.isValidKey("$(reboot)aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa="));
    }

    @Test
    void publicKeyOfRejectsBadKeysWithoutEchoingThem() {
        String bad = base64OfHex(ALICE_PRIVATE).substring(0, 40);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WgKeys.publicKeyOf(bad));
        assertFalse(e.getMessage().contains(bad.substring(0, 10)), e.getMessage());
    }

    @Test
    void keyPairToStringHidesThePrivateKey() {
        WgKeyPair pair = WgKeys.generate();
        assertFalse(pair.toString().contains(pair.privateKey()));
        assertTrue(pair.toString().contains(pair.publicKey()));
    }
}
