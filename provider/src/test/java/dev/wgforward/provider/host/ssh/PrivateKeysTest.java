package dev.wgforward.provider.host.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.bouncycastle.openssl.PEMEncryptor;
import org.bouncycastle.openssl.jcajce.JcePEMEncryptorBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keys in PEM are read, and bytes that are not a key's DER are refused with the reason sshj would
 * give, never handed to sshj's ASN.1 decoder: it allocates whatever length a header claims, so an
 * encrypted body read without its passphrase could end the provider with an OutOfMemoryError.
 */
class PrivateKeysTest {
    private static final String PASSPHRASE = "pem-passphrase-7d1e";

    /** A DER SEQUENCE that claims 2 GiB - 1: no JVM can allocate that array, whatever its heap. */
    private static final byte[] CLAIMS_2_GIB = HexFormat.of().parseHex("30847fffffff0201000201000201000201000201");
    /** A SEQUENCE that holds what it claims, but whose first INTEGER claims 2 GiB - 1. */
    private static final byte[] INNER_CLAIMS_2_GIB = HexFormat.of().parseHex("30060284" + "7fffffff" + "00000000");

    /** SEQUENCEs inside SEQUENCEs, each holding just what it claims: parsing them overflows the stack. */
    private static final byte[] NESTED_10000_DEEP = nested(10_000);

    private static byte[] nested(int depth) {
        byte[] der = {0x05, 0x00}; // NULL
        for (int i = 0; i < depth; i++) {
            int n = der.length;
            byte[] length = n < 0x80 ? new byte[] {(byte) n}
                    : n < 0x100 ? new byte[] {(byte) 0x81, (byte) n}
                    : n < 0x10000 ? new byte[] {(byte) 0x82, (byte) (n >> 8), (byte) n}
                    : new byte[] {(byte) 0x83, (byte) (n >> 16), (byte) (n >> 8), (byte) n};
            byte[] outer = new byte[1 + length.length + n];
            outer[0] = 0x30;
            System.arraycopy(length, 0, outer, 1, length.length);
            System.arraycopy(der, 0, outer, 1 + length.length, n);
            der = outer;
        }
        return der;
    }

    /** {@code type}: RSA, EC or DSA (the traditional formats), or empty (PKCS#8). */
    private static String pem(String type, String headers, byte[] body) {
        String name = type.isEmpty() ? "PRIVATE KEY" : type + " PRIVATE KEY";
        return "-----BEGIN " + name + "-----\n" + headers
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(body)
                + "\n-----END " + name + "-----\n";
    }

    /** {@code plain} encrypted as OpenSSL's traditional PEM encryption does, with {@code passphrase}. */
    private static String encryptedPem(byte[] plain, String passphrase) {
        try {
            // Bouncy Castle's OpenSSL key derivation, given directly: nothing here may depend on
            // something else having registered it.
            PEMEncryptor encryptor = new JcePEMEncryptorBuilder("AES-128-CBC")
                    .setProvider(new org.bouncycastle.jce.provider.BouncyCastleProvider()).build(passphrase.toCharArray());
            byte[] body = encryptor.encrypt(plain);
            return pem("RSA", "Proc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,"
                    + HexFormat.of().withUpperCase().formatHex(encryptor.getIV()) + "\n\n", body);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static PrivateKeys.Problem problemOf(String text, Optional<String> passphrase) {
        return assertThrows(PrivateKeys.UnreadableKeyException.class, () -> PrivateKeys.read(text, passphrase)).problem();
    }

    /** The formats read are exactly sshj's DefaultConfig's (listed apart only to spare Check building a whole config). */
    @Test
    void readsTheKeyFormatsOfSshjsDefaultConfig() {
        assertEquals(names(new net.schmizz.sshj.DefaultConfig().getFileKeyProviderFactories()), names(PrivateKeys.FORMATS));
    }

    private static List<String> names(List<? extends net.schmizz.sshj.common.Factory.Named<?>> factories) {
        return factories.stream().map(net.schmizz.sshj.common.Factory.Named::getName).toList();
    }

    @Test
    void anEncryptedBodyIsNotReadAsDerWithoutItsPassphrase() {
        // What ssh-keygen -m PEM -N ... writes, but with a body that, read as plain DER, claims 2 GiB.
        String key = pem("RSA", "Proc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00112233445566778899AABBCCDDEEFF\n\n",
                CLAIMS_2_GIB);
        assertEquals(PrivateKeys.Problem.ENCRYPTED_WITHOUT_PASSPHRASE, problemOf(key, Optional.empty()));
        assertEquals(Optional.empty(), PrivateKeys.problem(key, Optional.empty(), true), "the passphrase is unknown at preview");
    }

    @Test
    void aPassphraseThatDecryptsToNoKeyIsWrong() {
        // As a wrong passphrase does, now and then: the padding checks out, the rest is noise.
        assertEquals(PrivateKeys.Problem.WRONG_PASSPHRASE, problemOf(encryptedPem(CLAIMS_2_GIB, "typo"), Optional.of("typo")));
        assertEquals(PrivateKeys.Problem.WRONG_PASSPHRASE,
                problemOf(encryptedPem(INNER_CLAIMS_2_GIB, "typo"), Optional.of("typo")));
    }

    @Test
    void aBodyThatClaimsMoreThanItHoldsOrNestsWithoutEndIsDamaged() {
        for (String type : new String[] {"RSA", "EC", "DSA", ""}) {
            for (byte[] body : new byte[][] {CLAIMS_2_GIB, INNER_CLAIMS_2_GIB, NESTED_10000_DEEP}) {
                String key = pem(type, "", body);
                assertEquals(PrivateKeys.Problem.DAMAGED, problemOf(key, Optional.empty()), key);
                assertEquals(PrivateKeys.Problem.DAMAGED, problemOf(key, Optional.of(PASSPHRASE)), key);
            }
        }
    }

    @Test
    void pemKeysAsSshKeygenWritesThemAreRead(@TempDir Path keyDir) {
        for (String type : new String[] {"rsa", "ecdsa"}) {
            // One key per type (RSA keys are slow to make), rewritten in each format and passphrase.
            TestKeys.KeyFiles generated = TestKeys.generate(keyDir, type, type, "", true);
            for (String format : new String[] {"PEM", "PKCS8"}) {
                for (String passphrase : new String[] {"", PASSPHRASE}) {
                    String name = type + "-" + format + (passphrase.isEmpty() ? "" : "-encrypted");
                    Path file = keyDir.resolve(name);
                    copy(generated.privateKeyFile(), file);
                    TestKeys.run(List.of("ssh-keygen", "-p", "-q", "-f", file.toString(), "-m", format,
                            "-P", "", "-N", passphrase), Map.of());
                    String text = readString(file);
                    String begin = format.equals("PKCS8")
                            ? (passphrase.isEmpty() ? "-----BEGIN PRIVATE KEY-----" : "-----BEGIN ENCRYPTED PRIVATE KEY-----")
                            : (type.equals("rsa") ? "-----BEGIN RSA PRIVATE KEY-----" : "-----BEGIN EC PRIVATE KEY-----");
                    assertTrue(text.startsWith(begin), () -> name + ": " + text.lines().findFirst().orElse(""));

                    KeyPair pair = PrivateKeys.read(text, Optional.of(passphrase).filter(p -> !p.isEmpty()));
                    assertEquals(generated.publicKey().split(" ")[1], publicKeyBase64(pair), name);
                    if (!passphrase.isEmpty()) {
                        assertEquals(PrivateKeys.Problem.WRONG_PASSPHRASE, problemOf(text, Optional.of("not-" + passphrase)), name);
                        assertEquals(PrivateKeys.Problem.ENCRYPTED_WITHOUT_PASSPHRASE, problemOf(text, Optional.empty()), name);
                    }
                }
            }
        }
    }

    /** The key in the form of a .pub file's middle field. */
    private static String publicKeyBase64(KeyPair pair) {
        return Base64.getEncoder().encodeToString(
                new net.schmizz.sshj.common.Buffer.PlainBuffer().putPublicKey(pair.getPublic()).getCompactData());
    }

    private static void copy(Path from, Path to) {
        try {
            Files.copy(from, to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String readString(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
