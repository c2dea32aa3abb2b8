package dev.wgforward.provider.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cloud composition examples cannot reach a cloud here, so they are compiled and
 * type-checked against the real cloud SDK packages: a relay VM's outputs (its public IP, the SSH
 * key and host key) must fit PortForward's inputs, in TypeScript and in Java.
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

    /**
     * examples/cloud-relay-java against com.pulumi:aws (pinned in its pom.xml, from Maven
     * Central) and the wgforward Java SDK this build installed.
     */
    @Test
    void javaCloudExampleCompilesAgainstTheAwsSdk(@TempDir Path scratch) {
        long started = System.nanoTime();
        Path dir = scratch.resolve("cloud-relay-java");
        copyTree(Toolchain.repoRoot().resolve("examples/cloud-relay-java"), dir);
        List<String> mvn = new ArrayList<>(List.of("mvn", "-B", "-ntp", "-q", "compile"));
        String repo = System.getProperty("maven.repo.local");
        if (repo != null && !repo.isBlank()) {
            mvn.add("-Dmaven.repo.local=" + repo); // the repository this build uses, where it installed the SDK
        }
        Commands.run(dir, Map.of(), Duration.ofMinutes(10), mvn).assertOk();
        assertTrue(Files.isRegularFile(dir.resolve("target/classes/cloudrelay/App.class")), "the example compiled");
        System.out.printf("CloudExamplesIT: Java cloud example compiled against com.pulumi:aws in %.1f s%n",
                (System.nanoTime() - started) / 1e9);
    }

    private static void copyTree(Path from, Path to) {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.filter(f -> !from.relativize(f).startsWith("target")).toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
