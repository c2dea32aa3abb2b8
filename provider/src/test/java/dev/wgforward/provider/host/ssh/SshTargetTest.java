package dev.wgforward.provider.host.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class SshTargetTest {
    private static final String KEY_SECRET = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA-very-secret\n-----END OPENSSH PRIVATE KEY-----\n";
    private static final String PASSPHRASE = "passphrase-correct-horse";
    private static final String PASSWORD = "hunter2-password";
    private static final String PROXY_PASSWORD = "proxy-password-battery-staple";
    // A real ed25519 public key (made by ssh-keygen), only used as a pin here.
    private static final String HOST_KEY =
            "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOImQ9YXIHOoZv9opO79VpxT3DVfUgDnCGLouWkf/nEw host@example";

    @Test
    void defaults() {
        SshTarget target = SshTarget.builder("10.0.0.5").build();
        assertEquals(22, target.port());
        assertEquals("root", target.user());
        assertEquals(10, target.dialErrorLimit());
        assertEquals(Duration.ofSeconds(5), target.dialRetryDelay());
        assertEquals(Duration.ofSeconds(15), target.perDialTimeout());
        assertTrue(target.isRoot());
        assertEquals(Optional.empty(), target.proxy());
    }

    @Test
    void labelNamesEveryHop() {
        SshTarget first = SshTarget.builder("bastion.example").user("admin").port(2222).build();
        SshTarget second = SshTarget.builder("10.0.0.1").user("jump").proxy(first).build();
        SshTarget target = SshTarget.builder("10.0.0.5").proxy(second).build();
        assertEquals("admin@bastion.example:2222", first.label());
        assertEquals("root@10.0.0.5:22 via jump@10.0.0.1:22 via admin@bastion.example:2222", target.label());
        assertEquals("root@10.0.0.5:22", target.endpoint());
        assertEquals("root@[fd00::1]:22", SshTarget.builder("fd00::1").build().label());
    }

    @Test
    void toStringAndLabelNeverContainSecrets() {
        SshTarget proxy = SshTarget.builder("bastion").user("admin").password(PROXY_PASSWORD).build();
        SshTarget target = SshTarget.builder("10.0.0.5").privateKey(KEY_SECRET).privateKeyPassword(PASSPHRASE)
                .password(PASSWORD).hostKey(HOST_KEY).proxy(proxy).build();
        for (String text : List.of(target.toString(), target.label(), proxy.toString())) {
            for (String secret : List.of(KEY_SECRET, "very-secret", PASSPHRASE, PASSWORD, PROXY_PASSWORD)) {
                assertFalse(text.contains(secret), () -> text + " shows a secret");
            }
        }
        assertTrue(target.toString().contains("privateKey=<set>"), target::toString);
        assertTrue(target.toString().contains("password=<set>"), target::toString);
        assertTrue(target.toString().contains(HostKeys.fingerprint(HOST_KEY)), target::toString);
        assertTrue(target.toString().contains("proxy=SshTarget[admin@bastion:22"), target::toString);
    }

    @Test
    void secretsCoverTheWholeChain() {
        SshTarget proxy = SshTarget.builder("bastion").password(PROXY_PASSWORD).build();
        SshTarget target = SshTarget.builder("10.0.0.5").privateKey(KEY_SECRET).privateKeyPassword(PASSPHRASE)
                .proxy(proxy).build();
        assertEquals(List.of(KEY_SECRET, PASSPHRASE, PROXY_PASSWORD), target.secrets());
    }

    @Test
    void emptyStringsMeanUnset() {
        SshTarget target = SshTarget.builder("h").password("").privateKey("").hostKey("").build();
        assertEquals(Optional.empty(), target.password());
        assertEquals(Optional.empty(), target.privateKey());
        assertEquals(Optional.empty(), target.hostKey());
        assertEquals(List.of(), target.secrets());
    }

    @Test
    void rejectsInvalidValues() {
        assertThrows(IllegalArgumentException.class, () -> SshTarget.builder(" ").build());
        assertThrows(IllegalArgumentException.class, () -> SshTarget.builder("h").port(0).build());
        assertThrows(IllegalArgumentException.class, () -> SshTarget.builder("h").port(65536).build());
        assertThrows(IllegalArgumentException.class, () -> SshTarget.builder("h").user("a\nb").build());
        assertThrows(IllegalArgumentException.class, () -> SshTarget.builder("h").dialErrorLimit(0).build());
        assertThrows(IllegalArgumentException.class, () -> SshTarget.builder("h").perDialTimeout(Duration.ZERO).build());
        assertThrows(IllegalArgumentException.class,
                () -> SshTarget.builder("h").dialRetryDelay(Duration.ofSeconds(-1)).build());
        SshTarget unlimited = SshTarget.builder("h").dialErrorLimit(SshTarget.UNLIMITED_DIALS).build();
        assertEquals(-1, unlimited.dialErrorLimit());
    }

    @Test
    void badHostKeyIsRejectedWithoutEchoingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SshTarget.builder("h").hostKey(KEY_SECRET).build());
        assertFalse(e.getMessage().contains("very-secret"), e::getMessage);
        assertTrue(e.getMessage().contains("hostKey"), e::getMessage);
    }

    @Test
    void toBuilderRoundTrips() {
        SshTarget target = SshTarget.builder("h").user("u").port(2200).password(PASSWORD).hostKey(HOST_KEY)
                .dialErrorLimit(3).build();
        assertEquals(target, target.toBuilder().build());
    }

    @Test
    void dialProgressMessage() {
        SshTarget target = SshTarget.builder("1.2.3.4").build();
        assertEquals("dial 3/10 to root@1.2.3.4:22 failed: connection refused; retrying in 5s",
                DialListener.describe(target, 3, 10, "connection refused"));
        assertEquals("dial 3 to root@1.2.3.4:22 failed: x; retrying in 5s",
                DialListener.describe(target, 3, SshTarget.UNLIMITED_DIALS, "x"));
    }
}
