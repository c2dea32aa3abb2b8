package dev.wgforward.provider.rpc;

import dev.wgforward.provider.framework.ProviderInfo;
import dev.wgforward.provider.framework.Registry;
import io.grpc.Server;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** The gRPC server the engine dials: plaintext, on an ephemeral port of 127.0.0.1 only. */
public final class PluginServer {
    private final Server server;
    private final EngineConnection engine;
    private final GrpcTransport transport;

    private PluginServer(Server server, EngineConnection engine, GrpcTransport transport) {
        this.server = server;
        this.engine = engine;
        this.transport = transport;
    }

    public static PluginServer start(ProviderInfo info, Registry registry, Optional<String> engineAddress) throws IOException {
        GrpcTransport transport = new GrpcTransport();
        EngineConnection engine = new EngineConnection(transport::channel);
        engineAddress.ifPresent(engine::connect);
        Server server = transport.server(new InetSocketAddress("127.0.0.1", 0))
                .addService(new ResourceProviderAdapter(info, registry, engine, transport::channel))
                .build()
                .start();
        return new PluginServer(server, engine, transport);
    }

    public int port() {
        return server.getPort();
    }

    public void awaitTermination() throws InterruptedException {
        server.awaitTermination();
    }

    /**
     * Stops taking calls, lets the calls in flight finish (the engine has sent Cancel before its
     * SIGINT, so they stop at their next step; after 3 s they are cut), then stops every thread
     * that would hold up the JVM's exit. Idle, this takes milliseconds.
     */
    public void shutdown() {
        server.shutdown();
        try {
            server.awaitTermination(3, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        server.shutdownNow();
        engine.close();
        transport.close();
    }
}
