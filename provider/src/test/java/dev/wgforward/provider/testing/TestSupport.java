package dev.wgforward.provider.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.wgforward.provider.framework.CheckFailure;
import dev.wgforward.provider.framework.EngineLog;
import dev.wgforward.provider.framework.ProviderInfo;
import dev.wgforward.provider.framework.ResourceContext;
import dev.wgforward.provider.framework.Schema;
import dev.wgforward.provider.host.ssh.DialListener;
import dev.wgforward.provider.host.ssh.HostKeyPolicy;
import dev.wgforward.provider.host.ssh.HostSession;
import dev.wgforward.provider.host.ssh.Redactor;
import dev.wgforward.provider.host.ssh.SshConnector;
import dev.wgforward.provider.host.ssh.SshTarget;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** Shared helpers for the framework and resource tests: the real schema, contexts, JSON, keys, and an SSH connector that must not be used. */
public final class TestSupport {
    private TestSupport() {}

    public static final Schema SCHEMA = new Schema(ProviderInfo.load().schemaJson());

    /** Check, diff and preview never touch a host: any connection attempt fails the test. */
    public static final SshConnector NO_SSH = new SshConnector() {
        @Override
        public HostSession open(SshTarget target, HostKeyPolicy hostKeyPolicy, DialListener listener, Redactor redactor) {
            throw new AssertionError("this operation must not connect over SSH (tried " + target + ")");
        }
    };

    /** A context for a resource of a test type, named t. */
    public static ResourceContext ctx(boolean preview) {
        return new ResourceContext("urn:pulumi:test::proj::wgforward:index:Test::t", "t", preview, EngineLog.DISCARD,
                () -> false, Optional.empty());
    }

    /** A context for a resource inside a PortForward component. */
    public static ResourceContext ctx(String name, boolean preview) {
        return new ResourceContext("urn:pulumi:test::proj::wgforward:index:PortForward::" + name, name, preview,
                EngineLog.DISCARD, () -> false, Optional.empty());
    }

    public static JsonObject obj(String json) {
        return JsonParser.parseString(json).getAsJsonObject();
    }

    public static String describe(List<CheckFailure> failures) {
        return failures.stream().map(f -> f.property() + ": " + f.reason()).collect(Collectors.joining("\n"));
    }

    /** Exactly one failure, at {@code path}, whose reason contains every one of {@code words}. */
    public static void assertOneFailure(List<CheckFailure> failures, String path, String... words) {
        assertEquals(List.of(path), failures.stream().map(CheckFailure::property).toList(), () -> describe(failures));
        for (String word : words) {
            assertTrue(failures.get(0).reason().contains(word), () -> "reason should mention '" + word + "': " + describe(failures));
        }
    }

    /** A real ed25519 public key in authorized_keys form ({@code ssh-ed25519 AAAA...}). */
    public static String ed25519HostKey() {
        try {
            byte[] x509 = KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic().getEncoded();
            byte[] raw = Arrays.copyOfRange(x509, x509.length - 32, x509.length);
            byte[] type = "ssh-ed25519".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            java.nio.ByteBuffer blob = java.nio.ByteBuffer.allocate(4 + type.length + 4 + raw.length);
            blob.putInt(type.length).put(type).putInt(raw.length).put(raw);
            return "ssh-ed25519 " + Base64.getEncoder().encodeToString(blob.array());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An SSH private key as users paste it, made by the real ssh-keygen; {@code passphrase} empty for none. */
    public static String sshPrivateKey(String passphrase) {
        return SSH_KEYS.computeIfAbsent(passphrase, TestSupport::sshKeygen);
    }

    private static final java.util.Map<String, String> SSH_KEYS = new java.util.concurrent.ConcurrentHashMap<>();

    private static String sshKeygen(String passphrase) {
        try {
            java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("wgf-test-key");
            java.nio.file.Path file = dir.resolve("id_ed25519");
            Process p = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", passphrase, "-C", "test", "-f", file.toString())
                    .redirectErrorStream(true).start();
            p.getOutputStream().close();
            String output = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new IllegalStateException("ssh-keygen failed: " + output);
            }
            String key = java.nio.file.Files.readString(file);
            java.nio.file.Files.delete(file);
            java.nio.file.Files.delete(dir.resolve("id_ed25519.pub"));
            java.nio.file.Files.delete(dir);
            return key;
        } catch (java.io.IOException e) {
            throw new IllegalStateException("ssh-keygen (openssh-client) is needed by this test: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The value inside secret wrappers (written here so the tests do not depend on a particular Values helper). */
    public static com.google.gson.JsonElement unwrap(com.google.gson.JsonElement e) {
        while (dev.wgforward.provider.wire.Values.isSecret(e) && e.getAsJsonObject().has("value")) {
            e = e.getAsJsonObject().get("value");
        }
        return e;
    }
}
