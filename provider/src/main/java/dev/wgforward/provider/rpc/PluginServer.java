package dev.wgforward.provider.rpc;

import dev.wgforward.provider.framework.ProviderInfo;
import dev.wgforward.provider.framework.Registry;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** The gRPC server the engine dials: plaintext, on an ephemeral port of 127.0.0.1 only. */
public final class PluginServer {
    private final Server server;
    private final EngineConnection engine;

    private PluginServer(Server server, EngineConnection engine) {
        this.server = server;
        this.engine = engine;
    }

    public static PluginServer start(ProviderInfo info, Registry registry, Optional<String> engineAddress) throws IOException {
        EngineConnection engine = new EngineConnection();
        engineAddress.ifPresent(engine::connect);
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(new ResourceProviderAdapter(info, registry, engine))
                .maxInboundMessageSize(64 * 1024 * 1024)
                .build()
                .start();
        return new PluginServer(server, engine);
    }

    public int port() {
        return server.getPort();
    }

    public void awaitTermination() throws InterruptedException {
        server.awaitTermination();
    }

    public void shutdown() {
        server.shutdown();
        try {
            server.awaitTermination(3, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        server.shutdownNow();
        engine.close();
    }
}
