package dev.wgforward.provider.rpc;

import com.google.gson.JsonObject;
import com.google.protobuf.Empty;
import dev.wgforward.provider.framework.CheckFailure;
import dev.wgforward.provider.framework.DiffResult;
import dev.wgforward.provider.framework.EngineLog.Severity;
import dev.wgforward.provider.framework.FunctionHandler;
import dev.wgforward.provider.framework.ProviderException;
import dev.wgforward.provider.framework.ProviderInfo;
import dev.wgforward.provider.framework.Registry;
import dev.wgforward.provider.framework.ResourceContext;
import dev.wgforward.provider.framework.ResourceHandler;
import dev.wgforward.provider.wire.StructJson;
import java.time.Duration;
import java.util.Optional;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;
import pulumirpc.Plugin.PluginAttach;
import pulumirpc.Plugin.PluginInfo;
import pulumirpc.Provider.CheckRequest;
import pulumirpc.Provider.ConstructRequest;
import pulumirpc.Provider.ConstructResponse;
import pulumirpc.Provider.CreateRequest;
import pulumirpc.Provider.CreateResponse;
import pulumirpc.Provider.DeleteRequest;
import pulumirpc.Provider.ReadRequest;
import pulumirpc.Provider.ReadResponse;
import pulumirpc.Provider.UpdateRequest;
import pulumirpc.Provider.UpdateResponse;
import pulumirpc.Provider.CheckResponse;
import pulumirpc.Provider.ConfigureRequest;
import pulumirpc.Provider.ConfigureResponse;
import pulumirpc.Provider.DiffRequest;
import pulumirpc.Provider.DiffResponse;
import pulumirpc.Provider.GetSchemaRequest;
import pulumirpc.Provider.InvokeRequest;
import pulumirpc.Provider.InvokeResponse;
import pulumirpc.Provider.PropertyDiff;
import pulumirpc.Provider.PropertyDiff.Kind;
import pulumirpc.Provider.GetSchemaResponse;
import pulumirpc.Provider.ProviderHandshakeRequest;
import pulumirpc.Provider.ProviderHandshakeResponse;
import pulumirpc.ResourceProviderGrpc;

/**
 * The one place that speaks Pulumi's ResourceProvider protocol: it decodes requests, calls into
 * the provider and encodes the answers. Nothing else in the plugin imports pulumirpc or protobuf.
 */
final class ResourceProviderAdapter extends ResourceProviderGrpc.ResourceProviderImplBase {
    private final ProviderInfo info;
    private final Registry registry;
    private final EngineConnection engine;
    private final Function<String, ManagedChannel> dial;
    private final ServedProvider served = new ServedProvider();
    private final FailedOperations failedHere = new FailedOperations();
    private final AtomicBoolean cancelled = new AtomicBoolean();

    /** {@code dial} opens channels to a program's resource monitor (Construct). */
    ResourceProviderAdapter(ProviderInfo info, Registry registry, EngineConnection engine, Function<String, ManagedChannel> dial) {
        this.info = info;
        this.registry = registry;
        this.engine = engine;
        this.dial = dial;
    }

    @Override
    public void handshake(ProviderHandshakeRequest request, StreamObserver<ProviderHandshakeResponse> out) {
        answer(out, () -> {
            engine.connect(request.getEngineAddress());
            return ProviderHandshakeResponse.newBuilder()
                    .setAcceptSecrets(true)
                    .setAcceptResources(true)
                    .build();
        });
    }

    @Override
    public void getPluginInfo(Empty request, StreamObserver<PluginInfo> out) {
        answer(out, () -> PluginInfo.newBuilder().setVersion(info.version()).build());
    }

    @Override
    public void getSchema(GetSchemaRequest request, StreamObserver<GetSchemaResponse> out) {
        answer(out, () -> {
            if (!request.getSubpackageName().isEmpty()) {
                throw Status.INVALID_ARGUMENT
                        .withDescription("wgforward has no parameterized subpackages (asked for '"
                                + request.getSubpackageName() + "')")
                        .asRuntimeException();
            }
            return GetSchemaResponse.newBuilder().setSchema(info.schemaJson()).build();
        });
    }

    /** The provider has no configuration of its own: every connection detail is per resource. */
    @Override
    public void checkConfig(CheckRequest request, StreamObserver<CheckResponse> out) {
        answer(out, () -> CheckResponse.newBuilder().setInputs(request.getNews()).build());
    }

    @Override
    public void diffConfig(DiffRequest request, StreamObserver<DiffResponse> out) {
        answer(out, () -> {
            boolean same = request.getOldInputs().equals(request.getNews());
            return DiffResponse.newBuilder()
                    .setChanges(same ? DiffResponse.DiffChanges.DIFF_NONE : DiffResponse.DiffChanges.DIFF_SOME)
                    .build();
        });
    }

    @Override
    public void configure(ConfigureRequest request, StreamObserver<ConfigureResponse> out) {
        answer(out, () -> {
            served.configuredAs(request.getUrn(), request.getId());
            engine.log(Severity.DEBUG, "", "wgforward " + info.version()
                    + " configured: acceptSecrets, supportsPreview, acceptResources");
            return ConfigureResponse.newBuilder()
                    .setAcceptSecrets(true)
                    .setSupportsPreview(true)
                    .setAcceptResources(true)
                    .build();
        });
    }

    /** Sent before shutdown: operations in flight should stop at their next step. */
    @Override
    public void cancel(Empty request, StreamObserver<Empty> out) {
        answer(out, () -> {
            cancelled.set(true);
            return Empty.getDefaultInstance();
        });
    }

    /** The engine attached to an already running plugin (PULUMI_DEBUG_PROVIDERS); an error here is fatal. */
    @Override
    public void attach(PluginAttach request, StreamObserver<Empty> out) {
        answer(out, () -> {
            engine.connect(request.getAddress());
            return Empty.getDefaultInstance();
        });
    }

    // ---- custom resources --------------------------------------------------------------

    @Override
    public void check(CheckRequest request, StreamObserver<CheckResponse> out) {
        answer(out, () -> {
            ResourceHandler.CheckResult result = handler(request.getType(), request.getUrn())
                    .check(request.getUrn(), StructJson.toJson(request.getNews()));
            CheckResponse.Builder response = CheckResponse.newBuilder().setInputs(StructJson.toStruct(result.inputs()));
            for (CheckFailure failure : result.failures()) {
                response.addFailures(pulumirpc.Provider.CheckFailure.newBuilder()
                        .setProperty(failure.property()).setReason(failure.reason()));
            }
            return response.build();
        });
    }

    @Override
    public void diff(DiffRequest request, StreamObserver<DiffResponse> out) {
        answer(out, () -> {
            DiffResult diff = handler(request.getType(), request.getUrn())
                    .diff(StructJson.toJson(request.getOlds()), StructJson.toJson(request.getNews()));
            DiffResponse.Builder response = DiffResponse.newBuilder()
                    .setChanges(diff.hasChanges() ? DiffResponse.DiffChanges.DIFF_SOME : DiffResponse.DiffChanges.DIFF_NONE)
                    .setHasDetailedDiff(true)
                    .setDeleteBeforeReplace(diff.deleteBeforeReplace())
                    .addAllReplaces(diff.replaces())
                    .addAllDiffs(diff.changedTopLevel());
            diff.changes().forEach((path, change) -> response.putDetailedDiff(path,
                    PropertyDiff.newBuilder().setKind(kind(change)).setInputDiff(true).build()));
            return response.build();
        });
    }

    private static Kind kind(DiffResult.Change change) {
        return switch (change.kind()) {
            case ADD -> change.replace() ? Kind.ADD_REPLACE : Kind.ADD;
            case DELETE -> change.replace() ? Kind.DELETE_REPLACE : Kind.DELETE;
            case UPDATE -> change.replace() ? Kind.UPDATE_REPLACE : Kind.UPDATE;
        };
    }

    @Override
    public void create(CreateRequest request, StreamObserver<CreateResponse> out) {
        answer(watched(out, request.getUrn()), () -> {
            ResourceContext ctx = context(request.getUrn(), request.getName(), request.getPreview(), request.getTimeout());
            ResourceHandler.CreateResult result = handler(request.getType(), request.getUrn())
                    .create(ctx, StructJson.toJson(request.getProperties()));
            return CreateResponse.newBuilder().setId(result.id()).setProperties(StructJson.toStruct(result.outputs())).build();
        });
    }

    @Override
    public void read(ReadRequest request, StreamObserver<ReadResponse> out) {
        answer(out, () -> {
            ResourceContext ctx = context(request.getUrn(), request.getName(), false, request.getTimeout());
            Optional<ResourceHandler.ReadResult> result = handler(request.getType(), request.getUrn())
                    .read(ctx, request.getId(), StructJson.toJson(request.getProperties()), StructJson.toJson(request.getInputs()));
            if (result.isEmpty()) {
                return ReadResponse.newBuilder().build(); // an empty id tells the engine the resource is gone
            }
            return ReadResponse.newBuilder().setId(result.get().id())
                    .setProperties(StructJson.toStruct(result.get().outputs()))
                    .setInputs(StructJson.toStruct(result.get().inputs())).build();
        });
    }

    @Override
    public void update(UpdateRequest request, StreamObserver<UpdateResponse> out) {
        answer(watched(out, request.getUrn()), () -> {
            ResourceContext ctx = context(request.getUrn(), request.getName(), request.getPreview(), request.getTimeout());
            JsonObject outputs = handler(request.getType(), request.getUrn()).update(ctx, request.getId(),
                    StructJson.toJson(request.getOlds()), StructJson.toJson(request.getNews()));
            return UpdateResponse.newBuilder().setProperties(StructJson.toStruct(outputs)).build();
        });
    }

    @Override
    public void delete(DeleteRequest request, StreamObserver<Empty> out) {
        answer(watched(out, request.getUrn()), () -> {
            ResourceContext ctx = context(request.getUrn(), request.getName(), false, request.getTimeout());
            handler(request.getType(), request.getUrn()).delete(ctx, request.getId(), StructJson.toJson(request.getProperties()));
            return Empty.getDefaultInstance();
        });
    }

    // ---- functions -----------------------------------------------------------------------

    @Override
    public void invoke(InvokeRequest request, StreamObserver<InvokeResponse> out) {
        answer(out, () -> {
            FunctionHandler<?, ?> function = registry.function(request.getTok()).orElseThrow(() -> new ProviderException(
                    "wgforward has no function '" + request.getTok() + "'"));
            // An invoke has no URN: its messages and cancellation are the run's.
            ResourceContext ctx = new ResourceContext(request.getTok(), request.getTok(), false, engine, cancelled::get, Optional.empty());
            FunctionHandler.Result result = function.invoke(ctx, StructJson.toJson(request.getArgs()));
            InvokeResponse.Builder response = InvokeResponse.newBuilder().setReturn(StructJson.toStruct(result.outputs()));
            for (CheckFailure failure : result.failures()) {
                response.addFailures(pulumirpc.Provider.CheckFailure.newBuilder()
                        .setProperty(failure.property()).setReason(failure.reason()));
            }
            return response.build();
        });
    }

    // ---- components ----------------------------------------------------------------------

    @Override
    public void construct(ConstructRequest request, StreamObserver<ConstructResponse> out) {
        answer(out, () -> new ConstructBridge(engine, cancelled::get, dial, served.reference(), failedHere).construct(
                registry.component(request.getType()).orElseThrow(() -> new ProviderException(
                        "wgforward has no component type '" + request.getType() + "'")),
                request));
    }

    /**
     * Tells a Construct waiting on {@code urn} that its operation failed, right after the failure
     * itself is on its way to the engine (so that the engine has the child's own error first).
     */
    private <T> StreamObserver<T> watched(StreamObserver<T> out, String urn) {
        return new StreamObserver<>() {
            @Override
            public void onNext(T value) {
                out.onNext(value);
            }

            @Override
            public void onError(Throwable t) {
                out.onError(t);
                failedHere.failed(urn);
            }

            @Override
            public void onCompleted() {
                out.onCompleted();
            }
        };
    }

    private ResourceHandler<?, ?> handler(String type, String urn) {
        return registry.resource(type.isEmpty() ? Urns.type(urn) : type);
    }

    private ResourceContext context(String urn, String name, boolean preview, double timeoutSeconds) {
        return new ResourceContext(urn, name.isEmpty() ? Urns.name(urn) : name, preview, engine, cancelled::get,
                timeoutSeconds > 0 ? Optional.of(Duration.ofMillis((long) (timeoutSeconds * 1000))) : Optional.empty());
    }

    /** Sends one answer, turning failures into a gRPC status the engine shows the user. */
    private static <T> void answer(StreamObserver<T> out, Supplier<T> body) {
        T result;
        try {
            result = body.get();
        } catch (io.grpc.StatusRuntimeException e) {
            out.onError(e);
            return;
        } catch (ProviderException e) {
            // Expected failures: the message is written for the user and carries no secrets.
            out.onError(Status.UNKNOWN.withDescription(e.getMessage()).asRuntimeException());
            return;
        } catch (IllegalArgumentException e) {
            // A value the host model refuses that got past Check (resources' own operations turn
            // these into ProviderExceptions naming the resource): still the user's input, not a crash.
            out.onError(Status.INVALID_ARGUMENT.withDescription("invalid input: " + e.getMessage()).asRuntimeException());
            return;
        } catch (RuntimeException e) {
            out.onError(Status.INTERNAL.withDescription(String.valueOf(e.getMessage())).withCause(e).asRuntimeException());
            return;
        }
        out.onNext(result);
        out.onCompleted();
    }
}
