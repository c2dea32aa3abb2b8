package dev.wgforward.provider.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed scenario as a Java program (examples/port-forward-java), through the engine and the
 * Java language host, on the lab. The language host builds and runs the program with Maven
 * ({@code mvn compile exec:java}), resolving the wgforward Java SDK from the local repository:
 * the build must have run {@code mvn install} (scripts/test.sh does), not just {@code verify}.
 */
class PortForwardJavaIT {
    private static final String JAVA_EXAMPLE = "examples/port-forward-java";
    private static final String YAML_EXAMPLE = "examples/port-forward-yaml";

    @BeforeAll
    static void lab() {
        Lab.ensure(Lab.Mode.PLAIN);
    }

    /** Same config keys (types, defaults, secrecy) and outputs as the YAML example it mirrors. */
    @Test
    void javaExampleDeclaresTheSameConfigAndOutputsAsTheYamlExample() throws IOException {
        Path repo = Toolchain.repoRoot();
        assertEquals(topLevelBlock(repo.resolve(YAML_EXAMPLE).resolve("Pulumi.yaml"), "config"),
                topLevelBlock(repo.resolve(JAVA_EXAMPLE).resolve("Pulumi.yaml"), "config"),
                "the Java example's Pulumi.yaml must declare the same config as the YAML example");
        String program = Files.readString(repo.resolve(JAVA_EXAMPLE).resolve("src/main/java/portforward/App.java"));
        for (String output : yamlOutputs()) {
            assertTrue(program.contains("ctx.export(\"" + output + "\""), "App.java must export " + output);
        }
    }

    @Test
    void upLandsOnTheTargetChangesNothingOnPreviewAndDestroysExactly(@TempDir Path scratch) {
        String relayBefore = Lab.snapshot("relay");
        String clientBefore = Lab.snapshot("client");
        PortForwardScenario s = PortForwardScenario.of(JAVA_EXAMPLE, scratch, "java-it");

        long started = System.nanoTime();
        Commands.Result upResult = s.project.pulumi("up", "--yes", "--skip-preview");
        if (upResult.exitCode() != 0 && upResult.output().contains("dev.wgforward:wgforward:jar")) {
            throw new AssertionError("the Java program could not resolve the wgforward Java SDK from the local Maven"
                    + " repository: run `mvn install` (not only `verify`) at the repository root first\n" + upResult.output());
        }
        String up = upResult.assertOk().output();
        timing("first pulumi up (fresh copy: Maven compiles the program)", started);
        assertTrue(up.contains("bring up WireGuard interface"), "host steps show in the up output:\n" + up);

        // The outputs: the same names and values the YAML example gives.
        JsonObject outputs = JsonParser.parseString(
                s.project.pulumi("stack", "output", "--json", "--show-secrets").assertOk().output()).getAsJsonObject();
        assertEquals(yamlOutputs(), new TreeSet<>(outputs.keySet()), "the stack outputs");
        String relayIp = outputs.get("relayTunnelIp").getAsString();
        assertEquals("10.77.42.1", relayIp);
        assertEquals("10.77.42.2", outputs.get("clientTunnelIp").getAsString());
        assertEquals(List.of("10.77.42.1:8888 -> 10.200.0.2:22"), strings(outputs, "accessPoints"));
        String relayPublicKey = outputs.get("relayPublicKey").getAsString();
        String clientPublicKey = outputs.get("clientPublicKey").getAsString();
        assertTrue(relayPublicKey.matches("[A-Za-z0-9+/]{43}="), relayPublicKey);
        assertTrue(clientPublicKey.matches("[A-Za-z0-9+/]{43}="), clientPublicKey);
        assertNotEquals(relayPublicKey, clientPublicKey);
        assertEquals(relayPublicKey, Lab.exec("relay", "wg show wgf0 public-key").assertOk().output().trim(),
                "relayPublicKey is the key the relay's interface runs with");
        assertEquals(clientPublicKey, Lab.exec("client", "wg show wgf0 public-key").assertOk().output().trim(),
                "clientPublicKey is the key the client's interface runs with");
        String clientConfig = outputs.get("clientConfig").getAsString();
        assertTrue(clientConfig.contains("[Interface]") && clientConfig.contains("[Peer]"), clientConfig);
        assertTrue(clientConfig.contains(relayPublicKey), "clientConfig names the relay as its peer:\n" + clientConfig);
        assertTrue(s.project.pulumi("stack", "output", "clientConfig").assertOk().output().contains("[secret]"),
                "clientConfig must stay a secret when it comes through the Java SDK");
        assertFalse(stateText(s).contains("PRIVATE KEY-----"), "the SSH private key must be encrypted in the state");

        PortForwardScenario.assertLandsOnTarget(relayIp, 8888);

        // Nothing changed: the Java program, run again, asks for nothing.
        started = System.nanoTime();
        s.project.pulumi("preview", "--expect-no-changes").assertOk();
        timing("warm pulumi preview (program already compiled)", started);
        s.project.pulumi("refresh", "--yes", "--expect-no-changes").assertOk();

        started = System.nanoTime();
        s.project.pulumi("destroy", "--yes", "--skip-preview").assertOk();
        timing("pulumi destroy", started);
        assertEquals(relayBefore, Lab.snapshot("relay"), "destroy must leave the relay as it was");
        assertEquals(clientBefore, Lab.snapshot("client"), "destroy must leave the client as it was");
    }

    private static void timing(String what, long startedNanos) {
        System.out.printf("PortForwardJavaIT: %s took %.1f s%n", what, (System.nanoTime() - startedNanos) / 1e9);
    }

    private static List<String> strings(JsonObject outputs, String name) {
        List<String> values = new ArrayList<>();
        outputs.get(name).getAsJsonArray().forEach(e -> values.add(e.getAsString()));
        return values;
    }

    private static String stateText(PortForwardScenario s) {
        return s.project.pulumi("stack", "export").assertOk().output();
    }

    /** The names under {@code outputs:} in the YAML example. */
    private static Set<String> yamlOutputs() {
        try {
            Set<String> names = new TreeSet<>();
            for (String line : topLevelBlock(Toolchain.repoRoot().resolve(YAML_EXAMPLE).resolve("Pulumi.yaml"), "outputs")) {
                if (line.matches("  [A-Za-z][A-Za-z0-9]*:.*")) {
                    names.add(line.substring(2, line.indexOf(':')));
                }
            }
            assertFalse(names.isEmpty(), "the YAML example declares no outputs");
            return names;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * The lines of a top-level key's block in a Pulumi.yaml (without comments and blank lines):
     * enough YAML for comparing two hand-written project files.
     */
    private static List<String> topLevelBlock(Path pulumiYaml, String key) throws IOException {
        List<String> block = new ArrayList<>();
        boolean inside = false;
        for (String line : Files.readAllLines(pulumiYaml)) {
            if (line.isBlank() || line.stripLeading().startsWith("#")) {
                continue;
            }
            if (!line.startsWith(" ")) {
                inside = line.equals(key + ":");
                continue;
            }
            if (inside) {
                block.add(line.stripTrailing());
            }
        }
        assertFalse(block.isEmpty(), pulumiYaml + " has no " + key + " block");
        return block;
    }
}
