package dev.wgforward.provider;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.protobuf.Empty;
import com.google.protobuf.Struct;
import dev.wgforward.provider.host.ssh.SshjConnector;
import dev.wgforward.provider.rpc.PluginServer;
import dev.wgforward.provider.wire.StructJson;
import dev.wgforward.provider.wire.Values;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Server;
import io.grpc.InsecureServerCredentials;
import io.grpc.okhttp.OkHttpServerBuilder;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import pulumirpc.EngineGrpc;
import pulumirpc.EngineOuterClass.LogRequest;
import pulumirpc.Provider.ConstructRequest;
import pulumirpc.Resource.RegisterResourceOutputsRequest;
import pulumirpc.Resource.RegisterResourceRequest;
import pulumirpc.Resource.RegisterResourceResponse;
import pulumirpc.ResourceMonitorGrpc;
import pulumirpc.Provider.CheckRequest;
import pulumirpc.Provider.CheckResponse;
import pulumirpc.Provider.ConfigureRequest;
import pulumirpc.Provider.CreateRequest;
import pulumirpc.Provider.CreateResponse;
import pulumirpc.Provider.DiffRequest;
import pulumirpc.Provider.GetSchemaRequest;
import pulumirpc.Provider.ProviderHandshakeRequest;
import pulumirpc.Provider.ReadRequest;
import pulumirpc.ResourceProviderGrpc;
import pulumirpc.ResourceProviderGrpc.ResourceProviderBlockingStub;

/**
 * The training run of the plugin's start-up archive (the JDK's AOT cache, made at build time for
 * the bundled Java runtime): it starts the plugin exactly as {@link Main} does and then plays what
 * the engine asks of it in a {@code pulumi preview} — handshake, schema, provider config,
 * check/diff/create of each custom resource, and the PortForward component's construct (a preview
 * one and one with known keys, its children registered with a stand-in resource monitor) — over
 * a real loopback connection, with a stand-in engine for the plugin's log messages. Everything
 * those requests load and link is then in the archive. When the build gives it an SSH server on the loopback (WGFORWARD_TRAINING_SSH: "port
 * private-key-file host-key-line", see bundle-runtime.sh), it also refreshes an interface and a
 * rule set that are not there, through that server, as `pulumi refresh` would: a first login on a
 * cold JVM costs about 1 s more than the next one, most of it loading and linking sshj's and
 * Bouncy Castle's classes, which the archive then holds. Nothing else is dialed, nothing is changed.
 */
public final class Training {
    private Training() {}

    private static final String STACK = "urn:pulumi:train::train::";

    public static void main(String[] args) throws Exception {
        Server engine = OkHttpServerBuilder.forPort(new InetSocketAddress("127.0.0.1", 0), InsecureServerCredentials.create())
                .addService(new EngineGrpc.EngineImplBase() {
                    @Override
                    public void log(LogRequest request, StreamObserver<Empty> out) {
                        out.onNext(Empty.getDefaultInstance());
                        out.onCompleted();
                    }
                })
                .addService(new StandInMonitor())
                .build().start();
        String engineAddress = "127.0.0.1:" + engine.getPort();
        PluginServer plugin = Main.start(new String[] {engineAddress}, SshjConnector.sharingConnections(Main.SSH_IDLE_TIMEOUT));
        plugin.connectEngine(); // as Main does once the port is out
        ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", plugin.port()).usePlaintext().build();
        try {
            ResourceProviderBlockingStub provider = ResourceProviderGrpc.newBlockingStub(channel);
            provider.handshake(ProviderHandshakeRequest.newBuilder().setEngineAddress(engineAddress).build());
            provider.getPluginInfo(Empty.getDefaultInstance());
            provider.getSchema(GetSchemaRequest.newBuilder().setVersion(2).build());
            provider.checkConfig(CheckRequest.newBuilder().setUrn(STACK + "pulumi:providers:wgforward::default").build());
            provider.configure(ConfigureRequest.newBuilder().setAcceptSecrets(true).setAcceptResources(true).build());

            String keyPair = STACK + "wgforward:index:KeyPair::key";
            Struct keyInputs = passed(provider.check(CheckRequest.newBuilder().setUrn(keyPair).setType("wgforward:index:KeyPair")
                    .setNews(struct("{\"keepers\": {\"rotation\": \"1\"}}")).build()));
            provider.create(CreateRequest.newBuilder().setUrn(keyPair).setType("wgforward:index:KeyPair")
                    .setProperties(keyInputs).setPreview(true).build());
            CreateResponse key = provider.create(CreateRequest.newBuilder().setUrn(keyPair).setType("wgforward:index:KeyPair")
                    .setProperties(keyInputs).build());
            provider.diff(DiffRequest.newBuilder().setUrn(keyPair).setType("wgforward:index:KeyPair").setId(key.getId())
                    .setOlds(key.getProperties()).setOldInputs(keyInputs).setNews(struct("{\"keepers\": {\"rotation\": \"2\"}}")).build());

            String privateKey = StructJson.toJson(key.getProperties()).get("privateKey").toString();
            String connection = "{\"host\": \"203.0.113.1\", \"password\": \"training\"}";
            JsonObject wg = struct2json("{\"connection\": " + connection + ", \"interfaceName\": \"wgf0\", \"address\": \"10.77.42.1/24\","
                    + " \"address6\": \"fd77:42::1/64\", \"listenPort\": 51820, \"privateKey\": " + privateKey + ","
                    + " \"peers\": [{\"publicKey\": \"" + key.getId() + "\", \"allowedIps\": [\"10.77.42.2/32\", \"fd77:42::2/128\"]}]}");
            checkAndDiff(provider, "wgforward:index:WireGuardInterface", wg, "listenPort", 51821);
            JsonObject rules = struct2json("{\"connection\": " + connection + ", \"interfaceName\": \"wgf0\","
                    + " \"relayAddress\": \"10.77.42.1\", \"clientAddress\": \"10.77.42.2\","
                    + " \"relayAddress6\": \"fd77:42::1\", \"clientAddress6\": \"fd77:42::2\","
                    + " \"forwards\": [{\"port\": 8888, \"targetHost\": \"10.200.0.2\", \"targetPort\": 22, \"protocol\": \"tcp\"},"
                    + " {\"port\": 8889, \"targetHost\": \"2001:db8:200::2\", \"targetPort\": 22, \"protocol\": \"tcp\"}]}");
            checkAndDiff(provider, "wgforward:index:ForwardRules", rules, "interfaceName", "wgf1");

            String ssh = System.getenv("WGFORWARD_TRAINING_SSH");
            if (ssh != null && !ssh.isBlank()) {
                refreshThroughLoopbackSsh(provider, ssh.trim().split(" ", 3), wg, rules);
            }

            // The component, as a preview (children's outputs unknown) and as an up (known keys).
            JsonObject portForward = struct2json("{\"relay\": {\"connection\": " + connection + "},"
                    + " \"client\": {\"connection\": " + connection.replace("203.0.113.1", "203.0.113.2") + "},"
                    + " \"forwards\": [{\"port\": 8888, \"targetHost\": \"10.200.0.2\", \"targetPort\": 22},"
                    + " {\"port\": 8889, \"targetHost\": \"2001:db8:200::2\", \"targetPort\": 22}]}");
            for (boolean preview : new boolean[] {true, false}) {
                StandInMonitor.keys = preview ? null : key.getProperties();
                provider.construct(ConstructRequest.newBuilder().setType("wgforward:index:PortForward").setName("forward")
                        .setProject("train").setStack("train").setDryRun(preview).setMonitorEndpoint(engineAddress)
                        .setInputs(StructJson.toStruct(portForward)).build());
            }
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            plugin.shutdown();
            engine.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    /**
     * The engine's resource monitor, as far as a construct needs it: each child registered comes
     * back with its inputs as its state, key pairs with {@link #keys} (unknown at a preview).
     */
    private static final class StandInMonitor extends ResourceMonitorGrpc.ResourceMonitorImplBase {
        static volatile Struct keys;

        @Override
        public void registerResource(RegisterResourceRequest request, StreamObserver<RegisterResourceResponse> out) {
            Struct state = request.getObject();
            if (request.getType().equals("wgforward:index:KeyPair")) {
                state = keys != null ? keys : struct("{\"publicKey\": \"" + Values.UNKNOWN_STRING + "\", \"privateKey\": \""
                        + Values.UNKNOWN_STRING + "\"}");
            }
            // The URN's form does not matter here: the plugin only hands it back as a dependency.
            out.onNext(RegisterResourceResponse.newBuilder().setUrn(STACK + request.getType() + "::" + request.getName())
                    .setObject(state).build());
            out.onCompleted();
        }

        @Override
        public void registerResourceOutputs(RegisterResourceOutputsRequest request, StreamObserver<Empty> out) {
            out.onNext(Empty.getDefaultInstance());
            out.onCompleted();
        }
    }

    /**
     * Reads of objects that do not exist, on the build machine through its loopback SSH server:
     * read-only scripts (inspect an interface, list a rule set), as a refresh runs them.
     */
    private static void refreshThroughLoopbackSsh(ResourceProviderBlockingStub provider, String[] ssh, JsonObject wg, JsonObject rules)
            throws java.io.IOException {
        JsonObject connection = new JsonObject();
        connection.addProperty("host", "127.0.0.1");
        connection.addProperty("port", Integer.parseInt(ssh[0]));
        connection.addProperty("user", System.getProperty("user.name"));
        connection.addProperty("privateKey", java.nio.file.Files.readString(java.nio.file.Path.of(ssh[1])));
        connection.addProperty("hostKey", ssh[2]);
        readAbsent(provider, "wgforward:index:WireGuardInterface", wg, connection, new JsonObject());
        // What a create of the rules recorded: the firewall it found (nftables first, as a create looks).
        JsonObject recorded = new JsonObject();
        recorded.addProperty("firewall", "nftables");
        readAbsent(provider, "wgforward:index:ForwardRules", rules, connection, recorded);
    }

    /** Check, then read a resource of {@code type} on interface wgtrain0, which is not there. */
    private static void readAbsent(ResourceProviderBlockingStub provider, String type, JsonObject resource, JsonObject connection,
                                   JsonObject recordedOutputs) {
        JsonObject inputs = resource.deepCopy();
        inputs.add("connection", connection);
        inputs.addProperty("interfaceName", "wgtrain0");
        String urn = STACK + type + "::train";
        Struct checked = passed(provider.check(CheckRequest.newBuilder().setUrn(urn).setType(type).setNews(StructJson.toStruct(inputs)).build()));
        JsonObject state = StructJson.toJson(checked);
        recordedOutputs.entrySet().forEach(e -> state.add(e.getKey(), e.getValue()));
        provider.read(ReadRequest.newBuilder().setUrn(urn).setType(type).setId("127.0.0.1/wgtrain0")
                .setProperties(StructJson.toStruct(state)).setInputs(checked).build());
    }

    /** Check, then a diff against a changed property (as an update's preview does). */
    private static void checkAndDiff(ResourceProviderBlockingStub provider, String type, JsonObject news,
                                     String changed, Object value) {
        String urn = STACK + type + "::r";
        Struct checked = passed(provider.check(CheckRequest.newBuilder().setUrn(urn).setType(type).setNews(StructJson.toStruct(news)).build()));
        JsonObject updated = news.deepCopy();
        updated.add(changed, JsonParser.parseString(value instanceof String s ? "\"" + s + "\"" : value.toString()));
        provider.diff(DiffRequest.newBuilder().setUrn(urn).setType(type).setId("r").setOlds(checked).setOldInputs(checked)
                .setNews(StructJson.toStruct(updated)).build());
    }

    /** The inputs of a check that passed: training on the failure path would train the wrong thing. */
    private static Struct passed(CheckResponse response) {
        if (response.getFailuresCount() > 0) {
            throw new IllegalStateException("training input refused by check: " + response.getFailuresList());
        }
        return response.getInputs();
    }

    private static JsonObject struct2json(String json) {
        return JsonParser.parseString(json).getAsJsonObject();
    }

    private static Struct struct(String json) {
        return StructJson.toStruct(struct2json(json));
    }
}
