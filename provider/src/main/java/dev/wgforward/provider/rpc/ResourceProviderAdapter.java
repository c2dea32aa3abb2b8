package dev.wgforward.provider.rpc;

import com.google.protobuf.Empty;
import dev.wgforward.provider.framework.EngineLog.Severity;
import dev.wgforward.provider.framework.ProviderInfo;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import pulumirpc.Plugin.PluginAttach;
import pulumirpc.Plugin.PluginInfo;
import pulumirpc.Provider.CheckRequest;
import pulumirpc.Provider.CheckResponse;
import pulumirpc.Provider.ConfigureRequest;
import pulumirpc.Provider.ConfigureResponse;
import pulumirpc.Provider.DiffRequest;
import pulumirpc.Provider.DiffResponse;
import pulumirpc.Provider.GetSchemaRequest;
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
    private final EngineConnection engine;
    private final AtomicBoolean cancelled = new AtomicBoolean();

    ResourceProviderAdapter(ProviderInfo info, EngineConnection engine) {
        this.info = info;
        this.engine = engine;
    }

    boolean isCancelled() {
        return cancelled.get();
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

    /** Sends one answer, turning failures into a gRPC status the engine shows the user. */
    private static <T> void answer(StreamObserver<T> out, Supplier<T> body) {
        T result;
        try {
            result = body.get();
        } catch (io.grpc.StatusRuntimeException e) {
            out.onError(e);
            return;
        } catch (RuntimeException e) {
            out.onError(Status.INTERNAL.withDescription(String.valueOf(e.getMessage())).withCause(e).asRuntimeException());
            return;
        }
        out.onNext(result);
        out.onCompleted();
    }
}
