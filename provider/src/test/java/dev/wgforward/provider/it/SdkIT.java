package dev.wgforward.provider.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SDKs under sdk/ are generated from schema.json (scripts/gen-sdk.sh) and never edited:
 * regenerating them must change nothing. And each builds into what its users install.
 */
class SdkIT {

    @Test
    void checkedInSdksMatchTheSchema(@TempDir Path scratch) throws IOException {
        Path repo = Toolchain.repoRoot();
        long started = System.nanoTime();
        Commands.run(repo, Map.of("PATH", Toolchain.pulumiBin() + ":" + System.getenv("PATH")), Duration.ofMinutes(15),
                List.of("bash", repo.resolve("scripts/gen-sdk.sh").toString(), scratch.toString())).assertOk();
        System.out.printf("SdkIT: scripts/gen-sdk.sh (all four SDKs) took %.1f s%n", (System.nanoTime() - started) / 1e9);
        // What the generators write; sdk/java/pom.xml and sdk/go/go.mod, go.sum are ours.
        for (String generated : List.of("java/src/main/java", "nodejs", "python", "go/wgforward")) {
            assertEquals(tree(repo.resolve("sdk").resolve(generated)), tree(scratch.resolve(generated)),
                    "sdk/" + generated + " is stale: run scripts/gen-sdk.sh after changing schema.json");
        }
    }

    /** The npm tarball (compiled with tsc), the wheel and sdist, and a Go module that builds. */
    @Test
    void sdksBuildIntoInstallablePackages(@TempDir Path scratch) {
        Path repo = Toolchain.repoRoot();
        String version = Toolchain.version();
        long started = System.nanoTime();
        Commands.run(repo, Map.of(), Duration.ofMinutes(30),
                List.of("bash", repo.resolve("scripts/build-sdks.sh").toString(), scratch.toString())).assertOk();
        System.out.printf("SdkIT: scripts/build-sdks.sh (TypeScript, Python, Go) took %.1f s%n", (System.nanoTime() - started) / 1e9);

        Path tarball = scratch.resolve("nodejs/wgforward-wgforward-" + version + ".tgz");
        assertTrue(Files.isRegularFile(tarball), "npm pack made no " + tarball.getFileName());
        String npmFiles = Commands.run(scratch, Map.of(), Duration.ofMinutes(1), List.of("tar", "tzf", tarball.toString()))
                .assertOk().output();
        for (String file : List.of("package/package.json", "package/index.js", "package/index.d.ts", "package/portForward.js",
                "package/portForward.d.ts", "package/types/input.d.ts")) {
            assertTrue(npmFiles.lines().anyMatch(file::equals), "the npm tarball lacks " + file + ":\n" + npmFiles);
        }
        String packageJson = Commands.run(scratch, Map.of(), Duration.ofMinutes(1),
                List.of("tar", "xzOf", tarball.toString(), "package/package.json")).assertOk().output();
        assertTrue(packageJson.contains("\"name\": \"@wgforward/wgforward\"") && packageJson.contains("\"version\": \"" + version + "\""),
                "package.json names the package and the plugin's version:\n" + packageJson);

        Path wheel = scratch.resolve("python/pulumi_wgforward-" + version + "-py3-none-any.whl");
        assertTrue(Files.isRegularFile(wheel), "python -m build made no " + wheel.getFileName());
        assertTrue(Files.isRegularFile(scratch.resolve("python/pulumi_wgforward-" + version + ".tar.gz")), "no sdist");
        String wheelFiles = Commands.run(scratch, Map.of(), Duration.ofMinutes(1), List.of("unzip", "-Z1", wheel.toString()))
                .assertOk().output();
        for (String file : List.of("pulumi_wgforward/__init__.py", "pulumi_wgforward/port_forward.py",
                "pulumi_wgforward/pulumi-plugin.json", "pulumi_wgforward/py.typed")) {
            assertTrue(wheelFiles.lines().anyMatch(file::equals), "the wheel lacks " + file + ":\n" + wheelFiles);
        }
    }

    private static Map<String, String> tree(Path root) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : (Iterable<Path>) paths.filter(Files::isRegularFile)::iterator) {
                files.put(root.relativize(p).toString(), Files.readString(p));
            }
        }
        return files;
    }
}
