package dev.wgforward.provider.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed scenario as TypeScript, Python and Go programs (examples/port-forward-ts, -python,
 * -go), each with the SDK as its users install it (the npm tarball, the wheel, the Go module),
 * through the engine on the lab. The programs run inline through the Automation API (each
 * example's automation driver), so no nodejs/python/go language host is needed: the driver runs
 * the program in its own process and drives the toolchain's pulumi CLI. The stack's config is
 * set with the CLI, as a user does, in the example's project directory.
 */
class PortForwardSdkIT {
    private static final Duration RUN = Duration.ofMinutes(10);

    @BeforeAll
    static void lab() {
        Lab.ensure(Lab.Mode.PLAIN);
    }

    @Test
    void typeScriptProgramThroughTheEngine(@TempDir Path scratch) {
        long started = System.nanoTime();
        Path sdks = buildSdk(scratch, "nodejs");
        PortForwardScenario s = PortForwardScenario.of("examples/port-forward-ts", scratch, "ts-it");
        Path dir = s.project.dir();
        nodeModules(dir, sdks);
        run(dir, List.of(dir.resolve("node_modules/.bin/tsc").toString()));
        timing("TypeScript: SDK built and program compiled", started);
        scenario(s, List.of("node", "bin/automation.js", "ts-it"), "TypeScript");
    }

    @Test
    void pythonProgramThroughTheEngine(@TempDir Path scratch) {
        long started = System.nanoTime();
        Path sdks = buildSdk(scratch, "python");
        PortForwardScenario s = PortForwardScenario.of("examples/port-forward-python", scratch, "python-it");
        Path dir = s.project.dir();
        // The wheel installed by pip, as a user's `pip install pulumi-wgforward` does, next to the
        // pinned dependencies of the cached virtualenv.
        Path python = Path.of(sdkDeps().get("PYTHON_VENV")).resolve("bin/python");
        Path wheel = sdks.resolve("python/pulumi_wgforward-" + Toolchain.version() + "-py3-none-any.whl");
        Path site = scratch.resolve("site-packages");
        run(dir, List.of(python.toString(), "-m", "pip", "install", "-q", "--disable-pip-version-check", "--no-index",
                "--no-deps", "--target", site.toString(), wheel.toString()));
        timing("Python: SDK built and installed", started);
        scenario(s, List.of("env", "PYTHONPATH=" + site, python.toString(), "automation.py", "python-it"), "Python");
    }

    @Test
    void goProgramThroughTheEngine(@TempDir Path scratch) {
        long started = System.nanoTime();
        buildSdk(scratch, "go");
        // The Go example's module requires the SDK's module (from this repository: a replace).
        Path driver = scratch.resolve("automation");
        Commands.run(Toolchain.repoRoot().resolve("examples/port-forward-go"),
                Map.of("CGO_ENABLED", "0", "GOFLAGS", "-mod=readonly"), RUN,
                List.of("go", "build", "-o", driver.toString(), "./automation")).assertOk();
        timing("Go: SDK and program built", started);
        PortForwardScenario s = PortForwardScenario.of("examples/port-forward-go", scratch, "go-it");
        scenario(s, List.of(driver.toString(), "go-it"), "Go");
    }

    /** Preview, up, ssh through the forward, a change in place, no drift, destroy exactly. */
    private static void scenario(PortForwardScenario s, List<String> driver, String language) {
        try {
            scenarioSteps(s, driver, language);
        } catch (AssertionError | RuntimeException e) {
            // Leave the lab clean for the next test: a failed scenario's stack would hold the hosts.
            List<String> destroy = new ArrayList<>(driver);
            destroy.add("destroy");
            s.project.run(RUN, destroy);
            throw e;
        }
    }

    private static void scenarioSteps(PortForwardScenario s, List<String> driver, String language) {
        String relayBefore = snapshot("relay");
        String clientBefore = snapshot("client");
        long started = System.nanoTime();
        String preview = drive(s, driver, "preview");
        assertTrue(preview.contains("wgforward:index:PortForward") && preview.contains("create"),
                "the preview shows the PortForward to create:\n" + preview);
        timing(language + ": preview", started);

        started = System.nanoTime();
        String up = drive(s, driver, "up");
        assertTrue(up.contains("bring up WireGuard interface"), "host steps show in the up output:\n" + up);
        timing(language + ": up", started);
        JsonObject outputs = JsonParser.parseString(
                s.project.pulumi("stack", "output", "--json", "--show-secrets").assertOk().output()).getAsJsonObject();
        String relayIp = outputs.get("relayTunnelIp").getAsString();
        assertEquals("10.77.42.1", relayIp);
        assertEquals("10.77.42.2", outputs.get("clientTunnelIp").getAsString());
        assertEquals("[\"10.77.42.1:8888 -> 10.200.0.2:22\"]", outputs.get("accessPoints").toString());
        assertEquals(outputs.get("relayPublicKey").getAsString(), Lab.exec("relay", "wg show wgf0 public-key").assertOk().output().trim(),
                "relayPublicKey is the key the relay's interface runs with");
        assertTrue(s.project.pulumi("stack", "output", "clientConfig").assertOk().output().contains("[secret]"),
                "clientConfig must stay a secret when it comes through the " + language + " SDK");
        assertFalse(s.project.pulumi("stack", "export").assertOk().output().contains("PRIVATE KEY-----"),
                "the SSH private key must be encrypted in the state");
        PortForwardScenario.assertLandsOnTarget(relayIp, 8888);

        // A change in place: another port; only the relay's rules are updated, the tunnel stays.
        started = System.nanoTime();
        s.config("forwardPort", "8889");
        String change = drive(s, driver, "up");
        assertTrue(change.contains("updated"), "the port change is an update:\n" + change);
        assertFalse(change.contains("replaced") || change.contains("created"), "nothing is replaced or created:\n" + change);
        timing(language + ": change in place", started);
        assertEquals("[\"10.77.42.1:8889 -> 10.200.0.2:22\"]", JsonParser.parseString(
                s.project.pulumi("stack", "output", "accessPoints", "--json").assertOk().output()).toString());
        PortForwardScenario.assertLandsOnTarget(relayIp, 8889);

        started = System.nanoTime();
        drive(s, driver, "refresh", "--expect-no-changes");
        drive(s, driver, "preview", "--expect-no-changes");
        timing(language + ": refresh and preview, no changes", started);

        started = System.nanoTime();
        drive(s, driver, "destroy");
        timing(language + ": destroy", started);
        assertEquals(relayBefore, snapshot("relay"), "destroy must leave the relay as it was");
        assertEquals(clientBefore, snapshot("client"), "destroy must leave the client as it was");
    }

    private static String drive(PortForwardScenario s, List<String> driver, String... operation) {
        List<String> command = new ArrayList<>(driver);
        command.addAll(List.of(operation));
        return s.project.run(RUN, command).assertOk().output();
    }

    /**
     * node_modules in {@code dir} as `npm install` leaves it: the pinned dependencies (from the
     * cache scripts/sdk-deps.sh filled) and the TypeScript SDK unpacked from its npm tarball in
     * {@code sdks} (scripts/build-sdks.sh's output).
     */
    static void nodeModules(Path dir, Path sdks) {
        Path nodeModules = dir.resolve("node_modules");
        Path cached = Path.of(sdkDeps().get("NODE_MODULES"));
        try (Stream<Path> entries = Files.list(cached)) {
            Files.createDirectories(nodeModules);
            for (Path entry : (Iterable<Path>) entries::iterator) {
                Files.createSymbolicLink(nodeModules.resolve(entry.getFileName()), entry);
            }
            Files.createDirectories(nodeModules.resolve("@wgforward/wgforward"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path tarball = sdks.resolve("nodejs/wgforward-wgforward-" + Toolchain.version() + ".tgz");
        run(dir, List.of("tar", "xzf", tarball.toString(), "--strip-components=1", "-C",
                nodeModules.resolve("@wgforward/wgforward").toString()));
    }

    /** scripts/build-sdks.sh for one language into scratch/sdks; returns that directory. */
    static Path buildSdk(Path scratch, String language) {
        Path out = scratch.resolve("sdks");
        Path repo = Toolchain.repoRoot();
        run(repo, List.of("bash", repo.resolve("scripts/build-sdks.sh").toString(), out.toString(), language));
        return out;
    }

    /** Where scripts/sdk-deps.sh keeps the pinned dependencies (it installs them if missing). */
    static Map<String, String> sdkDeps() {
        Path repo = Toolchain.repoRoot();
        String printed = run(repo, List.of("bash", "-c", "bash scripts/sdk-deps.sh 2>/dev/null"));
        Map<String, String> values = new java.util.HashMap<>();
        printed.lines().filter(l -> l.contains("=")).forEach(l -> values.put(l.substring(0, l.indexOf('=')), l.substring(l.indexOf('=') + 1)));
        return values;
    }

    static String run(Path dir, List<String> command) {
        return Commands.run(dir, Map.of("PATH", Toolchain.pulumiBin() + ":" + System.getenv("PATH")), RUN, command)
                .assertOk().output();
    }

    private static String snapshot(String host) {
        return Lab.lab(Duration.ofMinutes(1), "snapshot", host).assertOk().output();
    }

    private static void timing(String what, long startedNanos) {
        System.out.printf("PortForwardSdkIT: %s took %.1f s%n", what, (System.nanoTime() - startedNanos) / 1e9);
    }
}
