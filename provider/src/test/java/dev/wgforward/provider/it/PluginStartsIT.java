package dev.wgforward.provider.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine starts the plugin once per run: not again for the language host's schema (the
 * schema names its version and is cached on disk), not again for a component's children (they
 * name the provider that serves the component). Counted by a launcher that logs every start.
 * And a preview reaches no host.
 */
class PluginStartsIT {

    @BeforeAll
    static void lab() {
        Lab.ensure(Lab.Mode.PLAIN);
    }

    @Test
    void theExamplesNameTheirPluginsVersion() throws IOException {
        for (String example : List.of("keypair-yaml", "port-forward-yaml", "port-forward-java")) {
            String yaml = Files.readString(Toolchain.repoRoot().resolve("examples").resolve(example).resolve("Pulumi.yaml"));
            assertTrue(yaml.contains("      version: " + Toolchain.version() + "\n"),
                    example + ": plugins.providers must give the plugin's version " + Toolchain.version()
                            + ", or the engine starts the plugin once more on every run to read its schema");
        }
    }

    @Test
    void aPreviewOfThePortForwardExampleStartsThePluginOnceAndReachesNoHost(@TempDir Path scratch) throws IOException {
        PortForwardScenario s = PortForwardScenario.of("examples/port-forward-yaml", scratch, "starts");
        Path starts = scratch.resolve("starts.log");
        Path launcher = countingLauncher(scratch.resolve("counting-plugin"), starts);
        Path pulumiYaml = s.project.dir().resolve("Pulumi.yaml");
        Files.writeString(pulumiYaml, Files.readString(pulumiYaml)
                .replace("path: " + Toolchain.pluginDir().toAbsolutePath(), "path: " + launcher.getParent()));
        int relayLogins = logins("relay");
        int clientLogins = logins("client");

        // A fresh Pulumi home: the engine reads the schema from the plugin once and caches it.
        s.project.pulumi("preview").assertOk();
        assertEquals(2, starts(starts), "the first run: once for the schema (now cached), once for the provider");
        Files.delete(starts);
        s.project.pulumi("preview").assertOk();
        assertEquals(1, starts(starts), "every later run: the provider only, the component's children included");

        assertEquals(relayLogins, logins("relay"), "a preview logs in to no host (relay)");
        assertEquals(clientLogins, logins("client"), "a preview logs in to no host (client)");
    }

    /** A launcher that appends a line to {@code log} on every start, then becomes the plugin. */
    private static Path countingLauncher(Path dir, Path log) throws IOException {
        Files.createDirectories(dir);
        Path launcher = dir.resolve("pulumi-resource-wgforward");
        Files.writeString(launcher, "#!/bin/sh\necho \"$$ $*\" >> '" + log + "'\nexec '"
                + Toolchain.pluginDir().toAbsolutePath().resolve("pulumi-resource-wgforward") + "' \"$@\"\n");
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
        return launcher;
    }

    private static int starts(Path log) throws IOException {
        return Files.exists(log) ? Files.readAllLines(log).size() : 0;
    }

    private static int logins(String host) {
        String count = Lab.exec(host, "grep -c 'Accepted ' /run/lab/sshd.log || true").output().trim();
        return count.isEmpty() ? 0 : Integer.parseInt(count.lines().reduce((a, b) -> b).orElse("0").trim());
    }
}
