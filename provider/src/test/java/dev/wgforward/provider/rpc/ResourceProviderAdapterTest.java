package dev.wgforward.provider.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.protobuf.Empty;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.wgforward.provider.framework.ProviderInfo;
import dev.wgforward.provider.framework.Schema;
import dev.wgforward.provider.host.ssh.SshjConnector;
import dev.wgforward.provider.resources.WgforwardResources;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import pulumirpc.Plugin.PluginAttach;
import pulumirpc.Provider.CheckRequest;
import pulumirpc.Provider.ConfigureRequest;
import pulumirpc.Provider.ConfigureResponse;
import pulumirpc.Provider.DiffRequest;
import pulumirpc.Provider.DiffResponse;
import pulumirpc.Provider.GetSchemaRequest;
import pulumirpc.Provider.ProviderHandshakeRequest;
import pulumirpc.Provider.ProviderHandshakeResponse;
import pulumirpc.ResourceProviderGrpc;
import pulumirpc.ResourceProviderGrpc.ResourceProviderBlockingStub;

/** Drives the adapter over grpc's in-process transport, as the engine would over TCP. */
class ResourceProviderAdapterTest {
    private Server server;
    private ManagedChannel channel;
    private ResourceProviderBlockingStub provider;
    private final ProviderInfo info = ProviderInfo.load();
    /** Channels as the plugin dials them: these tests have no engine or program to reach, so every log or dial fails fast. */
    private static final Function<String, ManagedChannel> NETWORK = target -> ManagedChannelBuilder.forTarget(target).usePlaintext().build();

    @BeforeEach
    void start() throws Exception {
        String name = InProcessServerBuilder.generateName();
        server = InProcessServerBuilder.forName(name).directExecutor()
                .addService(new ResourceProviderAdapter(info,
                        WgforwardResources.registry(new Schema(info.schemaJson()), new SshjConnector()),
                        new EngineConnection(NETWORK), NETWORK)).build().start();
        channel = InProcessChannelBuilder.forName(name).directExecutor().build();
        provider = ResourceProviderGrpc.newBlockingStub(channel);
    }

    @AfterEach
    void stop() throws Exception {
        channel.shutdownNow();
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void pluginInfoCarriesTheBuiltVersion() {
        String version = provider.getPluginInfo(Empty.getDefaultInstance()).getVersion();
        assertTrue(version.matches("\\d+\\.\\d+\\.\\d+.*"), "a semver version, got '" + version + "'");
        assertEquals(info.version(), version);
    }

    @Test
    void schemaIsTheRepositorySchemaJsonWithThePluginsVersion() throws Exception {
        String schema = provider.getSchema(GetSchemaRequest.getDefaultInstance()).getSchema();
        JsonObject json = JsonParser.parseString(schema).getAsJsonObject();
        assertEquals("wgforward", json.get("name").getAsString());
        assertEquals(info.schemaJson(), schema);
        // The engine's loader takes its fast path (and caches the schema on disk) only for a
        // schema that names its version: else it starts the plugin a second time to fill it in.
        assertEquals(info.version(), json.get("version").getAsString());
        try (var in = ProviderInfo.class.getResourceAsStream("/dev/wgforward/provider/schema.json")) {
            JsonObject repository = JsonParser.parseString(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8))
                    .getAsJsonObject();
            json.remove("version");
            assertEquals(repository, json);
        }
    }

    @Test
    void schemaOfAnUnknownSubpackageIsRefused() {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> provider.getSchema(GetSchemaRequest.newBuilder().setSubpackageName("other").build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
    }

    @Test
    void handshakeAndConfigureAdvertiseSecretsPreviewAndResources() {
        ProviderHandshakeResponse hs = provider.handshake(ProviderHandshakeRequest.newBuilder().build());
        assertTrue(hs.getAcceptSecrets());
        assertTrue(hs.getAcceptResources());
        ConfigureResponse cfg = provider.configure(ConfigureRequest.newBuilder().setAcceptSecrets(true).build());
        assertTrue(cfg.getAcceptSecrets());
        assertTrue(cfg.getSupportsPreview());
        assertTrue(cfg.getAcceptResources());
    }

    @Test
    void checkConfigReturnsTheInputsAndDiffConfigComparesThem() {
        Struct news = Struct.newBuilder().putFields("version", Value.newBuilder().setStringValue("0.1.0").build()).build();
        assertEquals(news, provider.checkConfig(CheckRequest.newBuilder().setNews(news).build()).getInputs());
        assertEquals(DiffResponse.DiffChanges.DIFF_NONE,
                provider.diffConfig(DiffRequest.newBuilder().setOldInputs(news).setNews(news).build()).getChanges());
        assertEquals(DiffResponse.DiffChanges.DIFF_SOME,
                provider.diffConfig(DiffRequest.newBuilder().setOldInputs(Struct.getDefaultInstance()).setNews(news).build()).getChanges());
    }

    @Test
    void cancelAndAttachAreAcknowledged() {
        assertEquals(Empty.getDefaultInstance(), provider.cancel(Empty.getDefaultInstance()));
        assertEquals(Empty.getDefaultInstance(),
                provider.attach(PluginAttach.newBuilder().setAddress("127.0.0.1:1").build()));
    }

    // ---- a custom resource's lifecycle over the protocol: KeyPair needs no host ----------------

    private static final String KEYPAIR_URN = "urn:pulumi:dev::p::wgforward:index:KeyPair::k";

    private static Struct keepers(String value) {
        Struct keepers = Struct.newBuilder().putFields("rotation", Value.newBuilder().setStringValue(value).build()).build();
        return Struct.newBuilder().putFields("keepers", Value.newBuilder().setStructValue(keepers).build()).build();
    }

    @Test
    void keyPairPreviewCreateAndDiffSpeakTheProtocol() {
        String secretSig = "1b47061264138c4ac30d75fd1eb44270";
        Struct checked = provider.check(pulumirpc.Provider.CheckRequest.newBuilder().setUrn(KEYPAIR_URN)
                .setNews(keepers("1")).build()).getInputs();

        pulumirpc.Provider.CreateResponse preview = provider.create(pulumirpc.Provider.CreateRequest.newBuilder()
                .setUrn(KEYPAIR_URN).setProperties(checked).setPreview(true).build());
        assertEquals("04da6b54-80e4-46f7-96ec-b56ff0331ba9", preview.getProperties().getFieldsOrThrow("publicKey").getStringValue(),
                "the public key is unknown until created");

        pulumirpc.Provider.CreateResponse created = provider.create(pulumirpc.Provider.CreateRequest.newBuilder()
                .setUrn(KEYPAIR_URN).setProperties(checked).build());
        Struct state = created.getProperties();
        assertEquals(state.getFieldsOrThrow("publicKey").getStringValue(), created.getId(), "the ID is the public key");
        Struct privateKey = state.getFieldsOrThrow("privateKey").getStructValue();
        assertEquals(secretSig, privateKey.getFieldsOrThrow("4dabf18193072939515e22adb298388d").getStringValue(),
                "the private key leaves the provider wrapped as a secret");

        DiffResponse same = provider.diff(DiffRequest.newBuilder().setUrn(KEYPAIR_URN).setId(created.getId())
                .setOlds(state).setNews(checked).build());
        assertEquals(DiffResponse.DiffChanges.DIFF_NONE, same.getChanges());

        DiffResponse rotated = provider.diff(DiffRequest.newBuilder().setUrn(KEYPAIR_URN).setId(created.getId())
                .setOlds(state).setNews(keepers("2")).build());
        assertEquals(DiffResponse.DiffChanges.DIFF_SOME, rotated.getChanges());
        assertEquals(java.util.List.of("keepers"), rotated.getReplacesList());
        assertEquals(pulumirpc.Provider.PropertyDiff.Kind.UPDATE_REPLACE,
                rotated.getDetailedDiffOrThrow("keepers.rotation").getKind(), rotated.toString());
    }

    @Test
    void badInputComesBackAsCheckFailuresNamingTheProperty() {
        Struct news = Struct.newBuilder().putFields("keepers", Value.newBuilder().setStringValue("not an object").build()).build();
        pulumirpc.Provider.CheckResponse response = provider.check(pulumirpc.Provider.CheckRequest.newBuilder()
                .setUrn(KEYPAIR_URN).setNews(news).build());
        assertEquals(1, response.getFailuresCount(), response.toString());
        assertEquals("keepers", response.getFailures(0).getProperty());
    }

    @Test
    void anUnknownTypeIsRefusedWithTheKnownOnes() {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> provider.check(
                pulumirpc.Provider.CheckRequest.newBuilder().setUrn("urn:pulumi:dev::p::wgforward:index:Nope::n").build()));
        assertTrue(e.getStatus().getDescription().contains("wgforward:index:KeyPair"), e.getStatus().getDescription());
    }
}
