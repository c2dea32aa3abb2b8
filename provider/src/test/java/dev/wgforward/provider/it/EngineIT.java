package dev.wgforward.provider.it;

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
        PulumiProject project = PulumiProject.copyOf(Toolchain.repoRoot().resolve("examples/yaml"), scratch);
        project.pulumi("stack", "init", "engine-it").assertOk();
        String out = project.pulumi("preview", "--debug").assertOk().output();
        // The plugin logs this through the engine's Log service from Configure: proof that the
        // engine started this very build of the plugin and configured it.
        assertTrue(out.contains("wgforward " + Toolchain.version() + " configured: acceptSecrets, supportsPreview, acceptResources"), out);
        assertTrue(out.contains("pulumi:providers:wgforward"), out);
    }
}
