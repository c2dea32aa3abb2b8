package dev.wgforward.provider.host.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Private key, password and keyboard-interactive logins; failures are immediate and clear. */
class AuthenticationTest {
    private static final String PASSWORD = "right-password-51c3";
    private static final String PASSPHRASE = "key-passphrase-9a0b";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    // Static initializers run in textual order: the keys exist before the servers are built.
    private static final Path KEY_DIR = TestKeys.temporaryDirectory("auth-test-keys");
    private static final TestKeys.KeyFiles ED25519 = TestKeys.generate(KEY_DIR, "ed25519", "ed25519", "", false);
    private static final TestKeys.KeyFiles RSA_PEM = TestKeys.generate(KEY_DIR, "rsa-pem", "rsa", "", true);
    private static final TestKeys.KeyFiles ECDSA = TestKeys.generate(KEY_DIR, "ecdsa", "ecdsa", "", false);
    private static final TestKeys.KeyFiles ENCRYPTED_RSA_PEM =
            TestKeys.generate(KEY_DIR, "rsa-pem-encrypted", "rsa", PASSPHRASE, true);
    private static final TestKeys.KeyFiles ENCRYPTED_OPENSSH =
            TestKeys.generate(KEY_DIR, "ecdsa-encrypted", "ecdsa", PASSPHRASE, false);
    private static final TestKeys.KeyFiles UNAUTHORIZED = TestKeys.generate(KEY_DIR, "unauthorized", "ecdsa", "", false);

    @RegisterExtension
    static final MinaSshServerExtension SERVER = MinaSshServerExtension.builder()
            .password("root", PASSWORD)
            .authorizedKey(ED25519.publicKey())
            .authorizedKey(RSA_PEM.publicKey())
            .authorizedKey(ECDSA.publicKey())
            .authorizedKey(ENCRYPTED_RSA_PEM.publicKey())
            .authorizedKey(ENCRYPTED_OPENSSH.publicKey())
            .refuseRsaSha1()
            .build();

    @RegisterExtension
    static final MinaSshServerExtension KEYBOARD_INTERACTIVE_ONLY = MinaSshServerExtension.builder()
            .password("root", PASSWORD)
            .publicKeyAuth(false)
            .passwordAuth(false)
            .build();

    private final List<String> retries = new ArrayList<>();
    private final DialListener listener = (target, attempt, limit, reason) -> retries.add(reason);
    private final SshConnector connector = new SshjConnector(Map.of());

    @AfterAll
    static void deleteKeys() throws IOException {
        TestKeys.deleteDirectory(KEY_DIR);
    }

    private SshTarget.Builder target() {
        return SERVER.target("root").hostKey(SERVER.hostKey()).dialErrorLimit(5);
    }

    private void assertLoggedIn(SshTarget target) {
        try (HostSession session = connector.open(target, listener)) {
            assertEquals("ok\n", session.run("echo ok", TIMEOUT).stdout());
        }
        assertEquals(List.of(), retries);
    }

    @Test
    void ed25519Key() {
        assumeTrue(MinaSshServerExtension.ed25519Supported(),
                "MINA 2.14 verifies ed25519 only with net.i2p eddsa; MINA 2.15 does with Bouncy Castle");
        assertLoggedIn(target().privateKey(ED25519.privateKey()).build());
    }

    @Test
    void rsaPemKeySignsWithSha2() {
        assertTrue(RSA_PEM.privateKey().startsWith("-----BEGIN RSA PRIVATE KEY-----"));
        assertLoggedIn(target().privateKey(RSA_PEM.privateKey()).build());
    }

    @Test
    void ecdsaOpenSshKey() {
        assertTrue(ECDSA.privateKey().startsWith("-----BEGIN OPENSSH PRIVATE KEY-----"));
        assertLoggedIn(target().privateKey(ECDSA.privateKey()).build());
    }

    @Test
    void encryptedKeysWithPassphrase() {
        assertTrue(ENCRYPTED_RSA_PEM.privateKey().contains("ENCRYPTED"));
        assertLoggedIn(target().privateKey(ENCRYPTED_RSA_PEM.privateKey()).privateKeyPassword(PASSPHRASE).build());
        assertLoggedIn(target().privateKey(ENCRYPTED_OPENSSH.privateKey()).privateKeyPassword(PASSPHRASE).build());
    }

    @Test
    void wrongPassphraseFailsBeforeDialing() {
        SshTarget target = target().privateKey(ENCRYPTED_OPENSSH.privateKey()).privateKeyPassword("wrong-phrase-x").build();
        HostAuthenticationException e = assertThrows(HostAuthenticationException.class,
                () -> connector.open(target, listener));
        assertTrue(e.getMessage().contains("privateKey could not be read"), e::getMessage);
        assertTrue(e.getMessage().contains("privateKeyPassword"), e::getMessage);
        assertFalse(e.getMessage().contains("wrong-phrase-x"), e::getMessage);
        SshTarget missing = target().privateKey(ENCRYPTED_RSA_PEM.privateKey()).build();
        HostAuthenticationException noPassphrase = assertThrows(HostAuthenticationException.class,
                () -> connector.open(missing, listener));
        assertTrue(noPassphrase.getMessage().contains("set privateKeyPassword"), noPassphrase::getMessage);
    }

    @Test
    void password() {
        assertLoggedIn(target().password(PASSWORD).build());
    }

    @Test
    void keyboardInteractiveWithThePassword() {
        assertLoggedIn(KEYBOARD_INTERACTIVE_ONLY.target("root").hostKey(KEYBOARD_INTERACTIVE_ONLY.hostKey())
                .password(PASSWORD).build());
    }

    @Test
    void keyIsTriedBeforePassword() {
        assertLoggedIn(target().privateKey(ECDSA.privateKey()).password("not-even-needed-pw").build());
        assertEquals(0, SERVER.passwordAttempts());
    }

    @Test
    void passwordIsTriedAfterARejectedKey() {
        assertLoggedIn(target().privateKey(UNAUTHORIZED.privateKey()).password(PASSWORD).build());
        assertEquals(1, SERVER.passwordAttempts());
    }

    @Test
    void wrongPasswordFailsAtOnceWithoutRetries() {
        SshTarget target = target().password("wrong-password-e4f2").build();
        long start = System.nanoTime();
        HostAuthenticationException e = assertThrows(HostAuthenticationException.class,
                () -> connector.open(target, listener));
        assertEquals(List.of(), retries);
        // One check by each password method, then no more: no dial retry repeats them.
        assertEquals(2, SERVER.passwordAttempts());
        assertEquals(List.of("password", "keyboard-interactive"), e.methodsTried());
        assertTrue(e.getMessage().startsWith(target.label() + ": authentication as 'root' failed"), e::getMessage);
        assertTrue(e.getMessage().contains("tried password, keyboard-interactive"), e::getMessage);
        assertFalse(e.getMessage().contains("wrong-password-e4f2"), e::getMessage);
        assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() < 3000);
    }

    @Test
    void unauthorizedKeyNamesTheMethodNotTheKey() {
        SshTarget target = target().privateKey(UNAUTHORIZED.privateKey()).build();
        HostAuthenticationException e = assertThrows(HostAuthenticationException.class,
                () -> connector.open(target, listener));
        assertEquals(List.of("publickey (privateKey)"), e.methodsTried());
        assertTrue(e.getMessage().contains("the host accepts publickey, password, keyboard-interactive"), e::getMessage);
        assertFalse(e.getMessage().contains("PRIVATE KEY"), e::getMessage);
        assertEquals(List.of(), retries);
    }

    @Test
    void noCredentialsAtAll() {
        HostAuthenticationException e = assertThrows(HostAuthenticationException.class,
                () -> connector.open(target().build(), listener));
        assertTrue(e.getMessage().contains("no credentials"), e::getMessage);
    }

    @Test
    void garbageKeyIsRejectedClearly() {
        SshTarget target = target().privateKey("not a key at all, but secret-ish-text").build();
        HostAuthenticationException e = assertThrows(HostAuthenticationException.class,
                () -> connector.open(target, listener));
        assertTrue(e.getMessage().contains("privateKey"), e::getMessage);
        assertFalse(e.getMessage().contains("secret-ish-text"), e::getMessage);
    }
}
