package dev.wgforward.provider.host.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostKeysTest {

    @Test
    void fingerprintMatchesSshKeygen(@TempDir Path dir) {
        for (String type : List.of("ed25519", "ecdsa", "rsa")) {
            TestKeys.KeyFiles key = TestKeys.generate(dir, "fp-" + type, type, "", false);
            // "256 SHA256:abc... comment (ED25519)"
            String keygen = TestKeys.run(List.of("ssh-keygen", "-l", "-E", "sha256", "-f",
                    key.privateKeyFile() + ".pub"), Map.of()).split(" ")[1];
            assertEquals(keygen, HostKeys.fingerprint(key.publicKey()), type);
        }
    }

    @Test
    void acceptsAuthorizedKeysKnownHostsAndKeyscanFormats(@TempDir Path dir) {
        TestKeys.KeyFiles key = TestKeys.generate(dir, "formats", "ed25519", "", false);
        String[] parts = key.publicKey().split(" ");
        String normalized = parts[0] + " " + parts[1];
        assertEquals(List.of(normalized), HostKeys.parseLines(key.publicKey(), "k"));
        assertEquals(List.of(normalized), HostKeys.parseLines("10.0.0.5 " + normalized, "k"));
        assertEquals(List.of(normalized), HostKeys.parseLines("no-pty,no-agent-forwarding " + normalized, "k"));
        assertEquals(List.of(normalized, normalized),
                HostKeys.parseLines("# comment\n" + normalized + "\n\n" + key.publicKey() + "\n", "k"));
    }

    @Test
    void rejectsNonKeys() {
        assertThrows(IllegalArgumentException.class, () -> HostKeys.parseLines("ssh-ed25519", "k"));
        assertThrows(IllegalArgumentException.class, () -> HostKeys.parseLines("", "k"));
        // The type in front must match the type inside the blob.
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HostKeys.parseLines(
                "ssh-rsa AAAAC3NzaC1lZDI1NTE5AAAAIOImQ9YXIHOoZv9opO79VpxT3DVfUgDnCGLouWkf/nEw", "connection.hostKey"));
        assertTrue(e.getMessage().startsWith("connection.hostKey"), e::getMessage);
    }
}
