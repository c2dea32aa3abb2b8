package dev.wgforward.provider.rpc;

import com.google.gson.JsonObject;
import dev.wgforward.provider.framework.CheckFailure;
import dev.wgforward.provider.framework.ComponentHandler;
import dev.wgforward.provider.framework.ComponentResource;
import dev.wgforward.provider.framework.ComponentResource.Child;
import dev.wgforward.provider.framework.ComponentResource.PendingChild;
import dev.wgforward.provider.framework.EngineLog;
import dev.wgforward.provider.framework.ProviderException;
import dev.wgforward.provider.framework.ResourceContext;
import dev.wgforward.provider.wire.StructJson;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.stream.Collectors;
import pulumirpc.Provider.ConstructRequest;
import pulumirpc.Provider.ConstructResponse;
import pulumirpc.Resource.RegisterResourceOutputsRequest;
import pulumirpc.Resource.RegisterResourceRequest;
import pulumirpc.Resource.RegisterResourceResponse;
import pulumirpc.ResourceMonitorGrpc;
import pulumirpc.ResourceMonitorGrpc.ResourceMonitorBlockingStub;
import pulumirpc.ResourceMonitorGrpc.ResourceMonitorStub;

/**
 * Serves Construct for a component: registers the component resource with the program's resource
 * monitor, lets the component register its children under it, then records its outputs.
 *
 * <p>The children are served by the provider that serves the Construct — this plugin process: they
 * name it as their provider and carry no version. (A version would make the engine look for a
 * default provider of that version, and start another plugin process for it when the program's
 * own provider was registered without one, as YAML programs do.)
 */
final class ConstructBridge {
    private static final String PACKAGE = "wgforward";

    private final EngineLog log;
    private final BooleanSupplier cancelled;
    private final Function<String, ManagedChannel> dial;
    private final Optional<String> servedProvider;
    private final FailedOperations failedHere;

    /**
     * {@code servedProvider}: the provider reference this process was configured as, when the
     * engine said (Configure's URN and ID).
     */
    ConstructBridge(EngineLog log, BooleanSupplier cancelled, Function<String, ManagedChannel> dial, Optional<String> servedProvider,
            FailedOperations failedHere) {
        this.log = log;
        this.cancelled = cancelled;
        this.dial = dial;
        this.servedProvider = servedProvider;
        this.failedHere = failedHere;
    }

    ConstructResponse construct(ComponentHandler<?> component, ConstructRequest request) {
        JsonObject inputs = StructJson.toJson(request.getInputs());
        List<CheckFailure> failures = component.check(inputs);
        if (!failures.isEmpty()) {
            throw new ProviderException(request.getType() + " '" + request.getName() + "' has invalid inputs:\n"
                    + failures.stream().map(f -> "  - " + f.property() + ": " + f.reason()).collect(Collectors.joining("\n")));
        }
        ManagedChannel channel = dial.apply(request.getMonitorEndpoint());
        // Each child's registration, done when the engine answers or when the child's operation
        // failed in this process (the engine then answers never: see FailedOperations).
        List<CompletableFuture<?>> inFlight = new ArrayList<>();
        List<String> childUrns = new ArrayList<>();
        try {
            ResourceMonitorBlockingStub monitor = ResourceMonitorGrpc.newBlockingStub(channel);
            ResourceMonitorStub asyncMonitor = ResourceMonitorGrpc.newStub(channel);
            // Dependencies of the component's own inputs (say, the VM that becomes the relay) are
            // dependencies of every child: they must exist first and be deleted last.
            Set<String> inherited = new LinkedHashSet<>(request.getDependenciesList());
            request.getInputDependenciesMap().values().forEach(d -> inherited.addAll(d.getUrnsList()));

            RegisterResourceResponse self = monitor.registerResource(RegisterResourceRequest.newBuilder()
                    .setType(request.getType())
                    .setName(request.getName())
                    .setParent(request.getParent())
                    .setCustom(false)
                    .setObject(com.google.protobuf.Struct.getDefaultInstance())
                    .addAllDependencies(inherited)
                    .setProtect(request.getProtect())
                    .putAllProviders(request.getProvidersMap())
                    .setAcceptSecrets(true)
                    .setAcceptResources(true)
                    .build());
            String urn = self.getUrn();
            // Without a reference from Configure (an older engine), the program's provider for the
            // package if it gave one, else the engine's default provider: no version either way.
            Optional<String> provider = servedProvider.or(() -> Optional.ofNullable(request.getProvidersMap().get(PACKAGE)));

            ComponentResource.Children children = new ComponentResource.Children() {
                @Override
                public Child register(String type, String name, JsonObject childInputs, List<Child> dependsOn) {
                    return start(type, name, childInputs, dependsOn).await();
                }

                @Override
                public PendingChild start(String type, String name, JsonObject childInputs, List<Child> dependsOn) {
                    if (cancelled.getAsBoolean()) {
                        throw new ProviderException("cancelled by the engine");
                    }
                    List<String> deps = new ArrayList<>(inherited);
                    dependsOn.forEach(c -> deps.add(c.urn()));
                    RegisterResourceRequest.Builder child = RegisterResourceRequest.newBuilder()
                            .setType(type)
                            .setName(name)
                            .setParent(urn)
                            .setCustom(true)
                            .setObject(StructJson.toStruct(childInputs))
                            .addAllDependencies(deps)
                            .setProtect(request.getProtect())
                            .setAcceptSecrets(true)
                            .setAcceptResources(true)
                            .setSupportsPartialValues(true);
                    provider.ifPresent(child::setProvider);
                    String childUrn = Urns.child(urn, type, name);
                    CompletableFuture<Void> failed = failedHere.watch(childUrn);
                    CompletableFuture<RegisterResourceResponse> registered = sendRegistration(asyncMonitor, child.build());
                    synchronized (inFlight) {
                        inFlight.add(CompletableFuture.anyOf(registered, failed));
                        childUrns.add(childUrn);
                    }
                    return PendingChild.of(childUrn, () -> awaitChild(registered, failed, request.getName(), type, name));
                }
            };

            ResourceContext ctx = new ResourceContext(urn, request.getName(), request.getDryRun(), log, cancelled, Optional.empty());
            JsonObject outputs = component.construct(ctx, inputs, children);
            monitor.registerResourceOutputs(RegisterResourceOutputsRequest.newBuilder()
                    .setUrn(urn).setOutputs(StructJson.toStruct(outputs)).build());
            return ConstructResponse.newBuilder().setUrn(urn).setState(StructJson.toStruct(outputs)).build();
        } finally {
            // A child that failed ends the construct while others may still be under way in the
            // engine: their answers are awaited, so that no child is left half-registered.
            awaitAll(inFlight);
            synchronized (inFlight) {
                childUrns.forEach(failedHere::forget);
            }
            channel.shutdownNow();
        }
    }

    private static CompletableFuture<RegisterResourceResponse> sendRegistration(ResourceMonitorStub monitor, RegisterResourceRequest request) {
        CompletableFuture<RegisterResourceResponse> answer = new CompletableFuture<>();
        monitor.registerResource(request, new StreamObserver<>() {
            @Override
            public void onNext(RegisterResourceResponse value) {
                answer.complete(value);
            }

            @Override
            public void onError(Throwable t) {
                answer.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
                answer.completeExceptionally(new IllegalStateException("the engine answered without a response"));
            }
        });
        return answer;
    }

    private static Child awaitChild(CompletableFuture<RegisterResourceResponse> registered, CompletableFuture<Void> failed,
            String component, String type, String name) {
        try {
            CompletableFuture.anyOf(registered, failed).get();
            if (!registered.isDone()) {
                throw childFailed(component, type, name, null);
            }
            RegisterResourceResponse response = registered.get();
            return new Child(response.getUrn(), StructJson.toJson(response.getObject()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProviderException(component + ": interrupted while registering '" + name + "'", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof StatusRuntimeException) {
                throw childFailed(component, type, name, e.getCause());
            }
            throw new ProviderException(component + ": registering '" + name + "' failed: " + e.getCause().getMessage(), e.getCause());
        }
    }

    /** The engine shows the child's own error; the component's says which child it was. */
    private static ProviderException childFailed(String component, String type, String name, Throwable cause) {
        return new ProviderException(component + ": " + type.substring(type.lastIndexOf(':') + 1) + " '" + name
                + "' failed (its own error says why)", cause);
    }

    private static void awaitAll(List<CompletableFuture<?>> inFlight) {
        List<CompletableFuture<?>> all;
        synchronized (inFlight) {
            all = List.copyOf(inFlight);
        }
        for (CompletableFuture<?> f : all) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (ExecutionException e) {
                // reported by whoever awaited it, or by the failure that ends the construct
            }
        }
    }
}
