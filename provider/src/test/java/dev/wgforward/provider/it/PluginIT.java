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
}
