package dev.wgforward.provider.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Where the integration tests find what the build and scripts/setup.sh made: the Pulumi CLI
 * (WGFORWARD_TOOLCHAIN_BIN, else PATH), the assembled plugin and the repository.
 */
final class Toolchain {
    private Toolchain() {}

    static Path repoRoot() {
        return Paths.get(required("wgforward.repoRoot")).toAbsolutePath().normalize();
    }

    static Path pluginDir() {
        Path dir = Paths.get(required("wgforward.pluginDir"));
        if (!Files.isExecutable(dir.resolve("pulumi-resource-wgforward"))) {
            throw new AssertionError("the plugin was not assembled at " + dir + " (run mvn package first)");
        }
        return dir;
    }

    static Path pluginTarball() {
        return Paths.get(required("wgforward.pluginTarball"));
    }

    static String version() {
        return required("wgforward.version");
    }

    /** The directory holding `pulumi` and its language hosts; tests fail loudly without one. */
    static Path pulumiBin() {
        String fromSetup = System.getenv("WGFORWARD_TOOLCHAIN_BIN");
        if (fromSetup != null && !fromSetup.isBlank()) {
            return Paths.get(fromSetup);
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Paths.get(dir, "pulumi"))) {
                return Paths.get(dir);
            }
        }
        throw new AssertionError("no Pulumi CLI: run the tests through scripts/test.sh (it builds the toolchain)"
                + " or set WGFORWARD_TOOLCHAIN_BIN");
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        if (value == null) {
            throw new AssertionError("system property " + property + " is not set: run through Maven (failsafe)");
        }
        return value;
    }
}
