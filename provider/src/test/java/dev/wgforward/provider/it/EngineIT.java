package dev.wgforward.provider.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real `pulumi` engine loading and configuring the plugin for a YAML program. */
class EngineIT {

    @Test
    void pulumiVersionComesFromTheProjectToolchain(@TempDir Path scratch) {
        String version = PulumiProject.empty(scratch).pulumi("version").assertOk().output().trim();
        assertTrue(version.matches("v3\\.\\d+\\.\\d+.*"), "pulumi version: " + version);
    }

    @Test
    void previewOfAYamlProgramLoadsAndConfiguresWgforward(@TempDir Path scratch) {
        PulumiProject project = PulumiProject.copyOf(Toolchain.repoRoot().resolve("examples/keypair-yaml"), scratch);
        project.pulumi("stack", "init", "engine-it").assertOk();
        String out = project.pulumi("preview", "--debug").assertOk().output();
        // The plugin logs this through the engine's Log service from Configure: proof that the
        // engine started this very build of the plugin and configured it.
        assertTrue(out.contains("wgforward " + Toolchain.version() + " configured: acceptSecrets, supportsPreview, acceptResources"), out);
        assertTrue(out.contains("wgforward:index:KeyPair"), out);
    }

    @Test
    void upKeepsTheKeyPairInStateWithThePrivateKeySecret(@TempDir Path scratch) {
        PulumiProject project = PulumiProject.copyOf(Toolchain.repoRoot().resolve("examples/keypair-yaml"), scratch);
        project.pulumi("stack", "init", "keys").assertOk();
        project.pulumi("up", "--yes", "--skip-preview").assertOk();
        String publicKey = project.pulumi("stack", "output", "publicKey").assertOk().output().trim();
        assertTrue(publicKey.matches("[A-Za-z0-9+/]{43}="), "a WireGuard public key, got " + publicKey);
        String masked = project.pulumi("stack", "output", "privateKey").assertOk().output().trim();
        assertTrue(masked.contains("[secret]"), "the private key must be a secret output, got " + masked);
        String exported = project.pulumi("stack", "export").assertOk().output();
        String privateKey = project.pulumi("stack", "output", "privateKey", "--show-secrets").assertOk().output().trim();
        assertTrue(!exported.contains(privateKey), "the private key must be encrypted in the state file");
        // A second preview after up shows no changes.
        String again = project.pulumi("preview", "--expect-no-changes").assertOk().output();
        assertTrue(again.contains("unchanged"), again);
        project.pulumi("destroy", "--yes", "--skip-preview").assertOk();
    }

    @Test
    void tunnelAddressesAreGivenOnceAndKeptWhilePeersComeAndGo(@TempDir Path scratch) {
        PulumiProject project = PulumiProject.copyOf(Toolchain.repoRoot().resolve("examples/tunnel-addresses-yaml"), scratch);
        project.pulumi("stack", "init", "addresses").assertOk();
        project.pulumi("config", "set", "--path", "peers.laptop", "--", "").assertOk();
        project.pulumi("config", "set", "--path", "peers.phone", "--", "").assertOk();
        project.pulumi("up", "--yes", "--skip-preview").assertOk();
        assertEquals("{\"laptop\":\"10.77.42.2\",\"phone\":\"10.77.42.3\"}", addresses(project));

        // The laptop goes, a desk (explicit) and a tablet (any) come: the phone keeps its address,
        // the preview already shows the new ones, and it is an update, not a replacement.
        project.pulumi("config", "rm", "--path", "peers.laptop").assertOk();
        project.pulumi("config", "set", "--path", "peers.desk", "10.77.42.9").assertOk();
        project.pulumi("config", "set", "--path", "peers.tablet", "--", "").assertOk();
        String preview = project.pulumi("preview", "--diff").assertOk().output();
        assertTrue(preview.contains("10.77.42.2") && !preview.contains("replace"), preview);
        project.pulumi("up", "--yes", "--skip-preview").assertOk();
        assertEquals("{\"desk\":\"10.77.42.9\",\"phone\":\"10.77.42.3\",\"tablet\":\"10.77.42.2\"}", addresses(project));
        project.pulumi("preview", "--expect-no-changes").assertOk();
        project.pulumi("refresh", "--yes", "--skip-preview", "--expect-no-changes").assertOk();
        project.pulumi("destroy", "--yes", "--skip-preview").assertOk();
    }

    private static String addresses(PulumiProject project) {
        return com.google.gson.JsonParser.parseString(project.pulumi("stack", "output", "addresses", "--json").assertOk().output())
                .toString();
    }
}
