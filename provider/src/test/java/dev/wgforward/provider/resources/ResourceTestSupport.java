package dev.wgforward.provider.resources;

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

/** Shared helpers for the resource tests. */
final class ResourceTestSupport {
    private ResourceTestSupport() {}

    static final Schema SCHEMA = new Schema(ProviderInfo.load().schemaJson());

    /** Checks never touch a host: any connection attempt fails the test. */
    static final SshConnector NO_SSH = new SshConnector() {
        @Override
        public HostSession open(SshTarget target, HostKeyPolicy hostKeyPolicy, DialListener listener, Redactor redactor) {
            throw new AssertionError("this operation must not connect over SSH (tried " + target + ")");
        }
    };

    static ResourceContext ctx(String name, boolean preview) {
        return new ResourceContext("urn:pulumi:test::proj::wgforward:index:PortForward::" + name, name, preview,
                EngineLog.DISCARD, () -> false, Optional.empty());
    }

    static JsonObject obj(String json) {
        return JsonParser.parseString(json).getAsJsonObject();
    }

    static String describe(List<CheckFailure> failures) {
        return failures.stream().map(f -> f.property() + ": " + f.reason()).collect(Collectors.joining("\n"));
    }

    /** A real ed25519 public key in authorized_keys form ({@code ssh-ed25519 AAAA...}). */
    static String ed25519HostKey() {
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

    /** The value inside secret wrappers (written here so the tests do not depend on a particular Values helper). */
    static com.google.gson.JsonElement unwrap(com.google.gson.JsonElement e) {
        while (dev.wgforward.provider.wire.Values.isSecret(e) && e.getAsJsonObject().has("value")) {
            e = e.getAsJsonObject().get("value");
        }
        return e;
    }
}
