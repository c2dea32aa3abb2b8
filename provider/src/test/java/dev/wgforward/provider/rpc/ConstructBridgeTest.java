package dev.wgforward.provider.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.protobuf.Empty;
import dev.wgforward.provider.framework.ProviderInfo;
import dev.wgforward.provider.framework.Schema;
import dev.wgforward.provider.host.ssh.SshjConnector;
import dev.wgforward.provider.resources.WgforwardResources;
import dev.wgforward.provider.wire.StructJson;
import dev.wgforward.provider.wire.Values;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.StatusRuntimeException;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import pulumirpc.Provider.ConfigureRequest;
import pulumirpc.Provider.ConstructRequest;
import pulumirpc.Provider.CreateRequest;
import pulumirpc.Resource.RegisterResourceOutputsRequest;
import pulumirpc.Resource.RegisterResourceRequest;
import pulumirpc.Resource.RegisterResourceResponse;
import pulumirpc.ResourceMonitorGrpc;
import pulumirpc.ResourceProviderGrpc;
import pulumirpc.ResourceProviderGrpc.ResourceProviderBlockingStub;

/**
 * Construct over the protocol, against a stand-in for the program's resource monitor: which
 * provider the component's children name, and which of them are under way at the same time.
 */
class ConstructBridgeTest {
    private static final String WG = "wgforward:index:WireGuardInterface";
    private static final String PREFIX = "urn:pulumi:dev::p::";
    private static final String RELAY_IF_URN = PREFIX + "wgforward:index:PortForward$" + WG + "::pf-relay";
    private static final String DEFAULT_PROVIDER = "urn:pulumi:dev::p::pulumi:providers:wgforward::default";

    private final FakeMonitor monitor = new FakeMonitor();
    private final String monitorName = InProcessServerBuilder.generateName();
    private Server monitorServer;
    private Server providerServer;
    private ManagedChannel providerChannel;
    private ResourceProviderBlockingStub provider;

    @BeforeEach
    void start() throws Exception {
        // Not on a direct executor: the monitor holds some calls while answering others.
        monitorServer = InProcessServerBuilder.forName(monitorName).addService(monitor).build().start();
        ProviderInfo info = ProviderInfo.load();
        String providerName = InProcessServerBuilder.generateName();
        providerServer = InProcessServerBuilder.forName(providerName)
                .addService(new ResourceProviderAdapter(info, WgforwardResources.registry(new Schema(info.schemaJson()), new SshjConnector()),
                        new EngineConnection(target -> ManagedChannelBuilder.forTarget(target).usePlaintext().build()),
                        target -> InProcessChannelBuilder.forName(target).build()))
                .build().start();
        providerChannel = InProcessChannelBuilder.forName(providerName).build();
        provider = ResourceProviderGrpc.newBlockingStub(providerChannel);
    }

    @AfterEach
    void stop() throws Exception {
        providerChannel.shutdownNow();
        providerServer.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        monitorServer.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    private ConstructRequest.Builder portForward() {
        // Hosts of this test only: the plugin remembers, per process, which component holds what
        // on a host (HostClaims), and other tests' components use other names.
        JsonObject inputs = JsonParser.parseString("""
                {"relay": {"connection": {"host": "relay.construct-bridge.test"}},
                 "client": {"connection": {"host": "client.construct-bridge.test"}},
                 "forwards": [{"port": 8888, "targetHost": "10.0.0.2", "targetPort": 22}]}
                """).getAsJsonObject();
        return ConstructRequest.newBuilder()
                .setType("wgforward:index:PortForward").setName("pf").setDryRun(true)
                .setMonitorEndpoint(monitorName)
                .setInputs(StructJson.toStruct(inputs));
    }

    @Test
    void childrenNameTheProviderThatServesTheConstructAndNoVersion() {
        provider.configure(ConfigureRequest.newBuilder().setUrn(DEFAULT_PROVIDER).setId("4d3c").setType("pulumi:providers:wgforward")
                .setName("default").build());
        provider.construct(portForward().build());

        List<RegisterResourceRequest> children = monitor.children();
        assertEquals(5, children.size(), monitor.registrations::toString);
        for (RegisterResourceRequest child : children) {
            assertEquals(DEFAULT_PROVIDER + "::4d3c", child.getProvider(), child.getName());
            assertEquals("", child.getVersion(), child.getName() + ": a version makes the engine start another default provider");
        }
    }

    @Test
    void withoutConfigureTheChildrenFollowTheProgramsProviderForThePackage() {
        String explicit = "urn:pulumi:dev::p::pulumi:providers:wgforward::mine::77";
        provider.construct(portForward().putProviders("wgforward", explicit).build());
        for (RegisterResourceRequest child : monitor.children()) {
            assertEquals(explicit, child.getProvider(), child.getName());
            assertEquals("", child.getVersion(), child.getName());
        }
    }

    @Test
    void withoutEitherTheChildrenGetTheEnginesDefaultProviderWithoutAVersion() {
        provider.construct(portForward().build());
        for (RegisterResourceRequest child : monitor.children()) {
            assertEquals("", child.getProvider(), child.getName());
            assertEquals("", child.getVersion(), child.getName());
        }
    }

    @Test
    void theClientsInterfaceFollowsTheRelaysAndIsUnderWayTogetherWithTheRules() {
        // New keys must reach the relay before the client (key rotation without a 5 s pause);
        // the client's interface and the rules need nothing of each other.
        monitor.holdTogether("pf-client", "pf-forwards");
        provider.construct(portForward().setDryRun(false).build());
        assertEquals(0, monitor.heldTogether.getCount(), "the client's interface and the rules registered");
        assertTrue(monitor.inFlightTogether, "the client's interface and the rules must be registered side by side");
        List<String> names = monitor.children().stream().map(RegisterResourceRequest::getName).toList();
        assertTrue(names.indexOf("pf-relay") < names.indexOf("pf-client"), names::toString);
        RegisterResourceRequest clientIf = monitor.children().stream().filter(c -> c.getName().equals("pf-client")).findFirst().orElseThrow();
        assertTrue(clientIf.getDependenciesList().contains(RELAY_IF_URN), clientIf::toString);
    }

    @Test
    void inAPreviewBothInterfacesAndTheRulesAreUnderWayTogetherWithTheSameDependencies() {
        // A preview creates nothing: the client's interface and the rules name the relay's as their
        // dependency (by the URN the engine gives it) without waiting for it.
        monitor.holdTogether("pf-relay", "pf-client", "pf-forwards");
        provider.construct(portForward().build());
        assertEquals(0, monitor.heldTogether.getCount(), "the three registered");
        assertTrue(monitor.inFlightTogether, "both interfaces and the rules must be registered side by side in a preview");
        for (String dependent : List.of("pf-client", "pf-forwards")) {
            RegisterResourceRequest child = monitor.children().stream().filter(c -> c.getName().equals(dependent)).findFirst().orElseThrow();
            assertTrue(child.getDependenciesList().contains(RELAY_IF_URN), child::toString);
        }
    }

    @Test
    void aChildThatFailsInThisProcessEndsTheConstructAtOnceNamingTheChild() {
        // The engine never answers the registration of a child whose create failed (it cancels the
        // run, then stops the plugin): the construct must not wait for that answer.
        monitor.relayInterfaceFailsThrough = provider;
        StatusRuntimeException e = assertTimeoutPreemptively(Duration.ofSeconds(20),
                () -> assertThrows(StatusRuntimeException.class, () -> provider.construct(portForward().build())));
        assertTrue(e.getStatus().getDescription().contains("WireGuardInterface 'pf-relay' failed (its own error says why)"),
                e.getStatus().getDescription());
        assertTrue(monitor.childCreateFailed, "the child's own create failed first");
    }

    /** Answers registrations as the engine does in a preview: URNs, inputs back, unknown outputs. */
    static final class FakeMonitor extends ResourceMonitorGrpc.ResourceMonitorImplBase {
        final List<RegisterResourceRequest> registrations = new CopyOnWriteArrayList<>();
        volatile CountDownLatch heldTogether = new CountDownLatch(0);
        // The children named here: each one's registration waits for the others'; registered one
        // after the other, the first gives up after 5 s and inFlightTogether turns false.
        volatile Set<String> holdTogether = Set.of();

        void holdTogether(String... names) {
            heldTogether = new CountDownLatch(names.length);
            holdTogether = Set.of(names);
        }
        volatile boolean inFlightTogether = true;
        // Set: the relay's interface is created (and fails) through this provider, and its
        // registration is never answered, as the engine does when a step fails.
        volatile ResourceProviderBlockingStub relayInterfaceFailsThrough;
        volatile boolean childCreateFailed;

        List<RegisterResourceRequest> children() {
            return registrations.stream().filter(RegisterResourceRequest::getCustom).toList();
        }

        @Override
        public void registerResource(RegisterResourceRequest request, StreamObserver<RegisterResourceResponse> out) {
            registrations.add(request);
            if (request.getType().equals(WG) && request.getName().endsWith("-relay") && relayInterfaceFailsThrough != null) {
                String urn = "urn:pulumi:dev::p::wgforward:index:PortForward$" + WG + "::" + request.getName();
                try {
                    relayInterfaceFailsThrough.create(CreateRequest.newBuilder().setUrn(urn).setType(WG).build());
                } catch (StatusRuntimeException expected) {
                    childCreateFailed = true;
                }
                return; // never answered
            }
            if (holdTogether.contains(request.getName())) {
                heldTogether.countDown();
                try {
                    if (!heldTogether.await(5, TimeUnit.SECONDS)) {
                        inFlightTogether = false;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            JsonObject outputs = StructJson.toJson(request.getObject());
            for (String key : List.of("publicKey", "privateKey", "accessPoints")) {
                outputs.add(key, Values.unknown());
            }
            out.onNext(RegisterResourceResponse.newBuilder()
                    .setUrn(urn(request))
                    .setObject(StructJson.toStruct(outputs)).build());
            out.onCompleted();
        }

        /** The URN the engine gives: a child's type is qualified by its parent component's. */
        private static String urn(RegisterResourceRequest request) {
            String parent = request.getParent();
            String type = request.getType();
            if (request.getCustom() && parent.startsWith(PREFIX)) {
                type = parent.substring(PREFIX.length(), parent.lastIndexOf("::")) + "$" + type;
            }
            return PREFIX + type + "::" + request.getName();
        }

        @Override
        public void registerResourceOutputs(RegisterResourceOutputsRequest request, StreamObserver<Empty> out) {
            out.onNext(Empty.getDefaultInstance());
            out.onCompleted();
        }
    }
}
