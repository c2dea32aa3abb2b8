package dev.wgforward.provider.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cloud composition examples cannot reach a cloud here, so they are compiled and
 * type-checked against the real cloud SDK packages: a relay VM's outputs (its public IP, the SSH
 * key and host key made by the same program) must fit PortForward's inputs.
 */
class CloudExamplesIT {

    /** examples/cloud-relay-ts against @pulumi/hcloud and @pulumi/tls (pinned in scripts/sdk-deps). */
    @Test
    void typeScriptCloudExampleCompilesAgainstTheCloudSdks(@TempDir Path scratch) throws Exception {
        long started = System.nanoTime();
        Path sdks = PortForwardSdkIT.buildSdk(scratch, "nodejs");
        Path dir = scratch.resolve("cloud-relay-ts");
        Files.createDirectories(dir);
        Path example = Toolchain.repoRoot().resolve("examples/cloud-relay-ts");
        for (String file : List.of("index.ts", "tsconfig.json", "package.json", "Pulumi.yaml")) {
            Files.copy(example.resolve(file), dir.resolve(file));
        }
        PortForwardSdkIT.nodeModules(dir, sdks);
        PortForwardSdkIT.run(dir, List.of(dir.resolve("node_modules/.bin/tsc").toString(), "--noEmit"));
        System.out.printf("CloudExamplesIT: TypeScript SDK built and cloud example type-checked in %.1f s%n",
                (System.nanoTime() - started) / 1e9);
    }
}
