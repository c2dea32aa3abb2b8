package dev.wgforward.provider.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.protobuf.Empty;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pulumirpc.ResourceProviderGrpc;

/** The assembled plugin, as the engine and `pulumi package`/`pulumi plugin` see it. */
class PluginIT {

    @Test
    void launcherPrintsItsPortAndServesTheProtocol() throws Exception {
        Process plugin = new ProcessBuilder(Toolchain.pluginDir().resolve("pulumi-resource-wgforward").toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            BufferedReader stdout = new BufferedReader(new InputStreamReader(plugin.getInputStream(), StandardCharsets.UTF_8));
            String first = stdout.readLine();
            assertTrue(first != null && first.matches("\\d+"), "first stdout line must be the port alone, got: " + first);
            ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", Integer.parseInt(first)).usePlaintext().build();
            try {
                String version = ResourceProviderGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS)
                        .getPluginInfo(Empty.getDefaultInstance()).getVersion();
                assertEquals(Toolchain.version(), version);
            } finally {
                channel.shutdownNow();
            }
        } finally {
            plugin.destroy();
            assertTrue(plugin.waitFor(10, TimeUnit.SECONDS), "the plugin must exit on SIGTERM");
        }
    }

    @Test
    void pulumiPackageGetSchemaReadsTheBuiltPlugin(@TempDir Path scratch) throws Exception {
        PulumiProject project = PulumiProject.empty(scratch);
        Commands.Result result = project.pulumi("package", "get-schema",
                Toolchain.pluginDir().resolve("pulumi-resource-wgforward").toString()).assertOk();
        JsonObject served = JsonParser.parseString(result.output()).getAsJsonObject();
        JsonObject checkedIn = JsonParser.parseString(Files.readString(Toolchain.repoRoot().resolve("schema.json"))).getAsJsonObject();
        assertEquals("wgforward", served.get("name").getAsString());
        // The engine omits empty sections when it re-serializes the bound schema.
        for (String section : new String[] {"resources", "types"}) {
            assertEquals(orEmpty(checkedIn, section), orEmpty(served, section), section);
        }
    }

    private static JsonObject orEmpty(JsonObject schema, String section) {
        return schema.has(section) ? schema.getAsJsonObject(section) : new JsonObject();
    }

    @Test
    void tarballInstallsIntoThePluginCacheAndTheEngineFindsItThere(@TempDir Path scratch) throws Exception {
        PulumiProject project = PulumiProject.copyOf(Toolchain.repoRoot().resolve("examples/keypair-yaml"), scratch);
        project.pulumi("plugin", "install", "resource", "wgforward", Toolchain.version(),
                "--file", Toolchain.pluginTarball().toString()).assertOk();
        String listing = project.pulumi("plugin", "ls").assertOk().output();
        assertTrue(listing.matches("(?s).*wgforward\\s+resource\\s+" + Toolchain.version().replace(".", "\\.") + ".*"),
                "pulumi plugin ls should list wgforward " + Toolchain.version() + ":\n" + listing);
        // Without plugins.providers the engine must load the installed copy.
        Path yaml = project.dir().resolve("Pulumi.yaml");
        String text = Files.readString(yaml);
        Files.writeString(yaml, text.replaceAll("(?s)plugins:.*?(?=resources:)", ""));
        project.pulumi("stack", "init", "cache").assertOk();
        String preview = project.pulumi("preview", "--debug").assertOk().output();
        assertTrue(preview.contains("wgforward " + Toolchain.version() + " configured"), preview);
    }

    /**
     * A plugin whose JVM cannot start (here: a heap too small, as a bad WGFORWARD_JAVA_OPTS or a
     * starved machine gives) fails the run with the JVM's own reason. The JVM writes such messages
     * to stdout unless told otherwise, and the engine takes stdout's first line for the plugin's
     * port: it then waits for ever (seen: a preview that never ends). A fresh Pulumi home, so the
     * schema load meets the failing start first.
     */
    @Test
    void aPluginWhoseJvmCannotStartFailsTheRunWithTheJvmsReason(@TempDir Path scratch) throws Exception {
        PulumiProject project = PulumiProject.copyOf(Toolchain.repoRoot().resolve("examples/keypair-yaml"), scratch)
                .env("WGFORWARD_JAVA_OPTS", "-Xmx1k");
        project.pulumi("stack", "init", "nojvm").assertOk();
        Commands.Result preview = project.run(Duration.ofMinutes(2),
                List.of(Toolchain.pulumiBin().resolve("pulumi").toString(), "preview", "--non-interactive"));
        assertTrue(preview.exitCode() != 0, preview.output());
        assertTrue(preview.output().contains("Too small maximum heap"), "the JVM's reason reaches the user:\n" + preview.output());
    }

    /**
     * The tarball is all a machine without Java needs: in a mount namespace of its own, every JDK
     * (/usr/lib/jvm, where /usr/bin/java points) is hidden under an empty tmpfs and neither PATH
     * nor JAVA_HOME offers one; there the real `pulumi plugin install` unpacks the tarball into a
     * scratch PULUMI_HOME and `pulumi preview` of the key-pair example runs the installed plugin.
     * When the runtime carries an AOT cache, the plugin runs with -XX:AOTMode=on, which refuses
     * to start without it: the cache made at build time also works where the plugin was installed.
     */
    @Test
    void tarballWorksOnAMachineWithoutJava(@TempDir Path scratch) throws Exception {
        PulumiProject project = PulumiProject.copyOf(Toolchain.repoRoot().resolve("examples/keypair-yaml"), scratch);
        Path yaml = project.dir().resolve("Pulumi.yaml");
        Files.writeString(yaml, Files.readString(yaml).replaceAll("(?s)plugins:.*?(?=resources:)", ""));
        boolean aot = Files.exists(Toolchain.pluginDir().resolve("runtime/lib/wgforward.aot"));
        String script = String.join("\n",
                "set -eu",
                "mount -t tmpfs -o ro,size=1m nojava /usr/lib/jvm",
                "unset JAVA_HOME WGFORWARD_JAVA",
                "export PATH=\"$WGF_PULUMI_BIN:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\"",
                "if command -v java >/dev/null || ls /usr/lib/jvm/* >/dev/null 2>&1; then echo 'a Java is still visible' >&2; exit 97; fi",
                "pulumi plugin install resource wgforward \"$WGF_VERSION\" --file \"$WGF_TARBALL\"",
                "installed=$PULUMI_HOME/plugins/resource-wgforward-v$WGF_VERSION",
                "test -x \"$installed/runtime/bin/java\"",
                "pulumi stack init nojava --non-interactive",
                "WGFORWARD_JAVA_OPTS=$WGF_JAVA_OPTS pulumi preview --debug --non-interactive");
        Commands.Result result = Commands.run(project.dir(), Map.of(
                        "PULUMI_HOME", scratch.resolve("pulumi-home").toString(),
                        "PULUMI_BACKEND_URL", "file://" + project.dir().resolve(".state"),
                        "PULUMI_CONFIG_PASSPHRASE", PulumiProject.PASSPHRASE,
                        "PULUMI_SKIP_UPDATE_CHECK", "true",
                        "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION", "true",
                        "WGF_PULUMI_BIN", Toolchain.pulumiBin().toString(),
                        "WGF_VERSION", Toolchain.version(),
                        "WGF_TARBALL", Toolchain.pluginTarball().toString(),
                        "WGF_JAVA_OPTS", aot ? "-XX:AOTMode=on" : ""),
                Duration.ofMinutes(5), List.of("unshare", "--mount", "--propagation", "private", "sh", "-c", script));
        result.assertOk();
        assertTrue(result.output().contains("wgforward " + Toolchain.version() + " configured"), result.output());
    }
}
