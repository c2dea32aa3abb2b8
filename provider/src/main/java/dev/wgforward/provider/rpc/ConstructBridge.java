package dev.wgforward.provider.rpc;

import com.google.gson.JsonObject;
import dev.wgforward.provider.framework.CheckFailure;
import dev.wgforward.provider.framework.ComponentResource;
import dev.wgforward.provider.framework.ComponentResource.Child;
import dev.wgforward.provider.framework.EngineLog;
import dev.wgforward.provider.framework.ProviderException;
import dev.wgforward.provider.framework.ResourceContext;
import dev.wgforward.provider.wire.StructJson;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import pulumirpc.Provider.ConstructRequest;
import pulumirpc.Provider.ConstructResponse;
import pulumirpc.Resource.RegisterResourceOutputsRequest;
import pulumirpc.Resource.RegisterResourceRequest;
import pulumirpc.Resource.RegisterResourceResponse;
import pulumirpc.ResourceMonitorGrpc;
import pulumirpc.ResourceMonitorGrpc.ResourceMonitorBlockingStub;

/**
 * Serves Construct for a component: registers the component resource with the program's resource
 * monitor, lets the component register its children under it, then records its outputs.
 */
final class ConstructBridge {
    private final String packageVersion;
    private final EngineLog log;
    private final BooleanSupplier cancelled;

    ConstructBridge(String packageVersion, EngineLog log, BooleanSupplier cancelled) {
        this.packageVersion = packageVersion;
        this.log = log;
        this.cancelled = cancelled;
    }

    ConstructResponse construct(ComponentResource component, ConstructRequest request) {
        JsonObject inputs = StructJson.toJson(request.getInputs());
        List<CheckFailure> failures = component.check(inputs);
        if (!failures.isEmpty()) {
            throw new ProviderException(request.getType() + " '" + request.getName() + "' has invalid inputs:\n"
                    + failures.stream().map(f -> "  - " + f.property() + ": " + f.reason()).collect(Collectors.joining("\n")));
        }
        ManagedChannel channel = ManagedChannelBuilder.forTarget(request.getMonitorEndpoint()).usePlaintext()
                .maxInboundMessageSize(64 * 1024 * 1024).build();
        try {
            ResourceMonitorBlockingStub monitor = ResourceMonitorGrpc.newBlockingStub(channel);
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
            Optional<String> provider = Optional.ofNullable(request.getProvidersMap().get("wgforward"));

            ComponentResource.Children children = (type, name, childInputs, dependsOn) -> {
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
                        .setVersion(packageVersion)
                        .setAcceptSecrets(true)
                        .setAcceptResources(true)
                        .setSupportsPartialValues(true);
                provider.ifPresent(child::setProvider);
                RegisterResourceResponse registered;
                try {
                    registered = monitor.registerResource(child.build());
                } catch (io.grpc.StatusRuntimeException e) {
                    // The engine has already shown the child's own error; say which child it was.
                    throw new ProviderException(request.getName() + ": " + type.substring(type.lastIndexOf(':') + 1)
                            + " '" + name + "' failed (its error is shown above)", e);
                }
                return new Child(registered.getUrn(), StructJson.toJson(registered.getObject()));
            };

            ResourceContext ctx = new ResourceContext(urn, request.getName(), request.getDryRun(), log, cancelled, Optional.empty());
            JsonObject outputs = component.construct(ctx, inputs, children);
            monitor.registerResourceOutputs(RegisterResourceOutputsRequest.newBuilder()
                    .setUrn(urn).setOutputs(StructJson.toStruct(outputs)).build());
            return ConstructResponse.newBuilder().setUrn(urn).setState(StructJson.toStruct(outputs)).build();
        } finally {
            channel.shutdownNow();
        }
    }
}
