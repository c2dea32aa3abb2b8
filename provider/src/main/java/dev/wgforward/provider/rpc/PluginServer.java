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
    private final Optional<String> engineAddress;

    private PluginServer(Server server, EngineConnection engine, GrpcTransport transport, Optional<String> engineAddress) {
        this.server = server;
        this.engine = engine;
        this.transport = transport;
        this.engineAddress = engineAddress;
    }

    /** Listens; the channel back to the engine (command line's address) waits for {@link #connectEngine}. */
    public static PluginServer start(ProviderInfo info, Registry registry, Optional<String> engineAddress) throws IOException {
        GrpcTransport transport = new GrpcTransport();
        EngineConnection engine = new EngineConnection(transport::channel);
        Server server = transport.server(new InetSocketAddress("127.0.0.1", 0))
                .addService(new ResourceProviderAdapter(info, registry, engine, transport::channel))
                .build()
                .start();
        return new PluginServer(server, engine, transport, engineAddress);
    }

    /**
     * Opens the channel back to the engine named on the command line. Called once the port is
     * printed: building a channel costs some 20 ms of a cold start that the engine would otherwise
     * wait for, and nothing is logged to the engine before its first call (Handshake, which may name
     * the address too: the first to come wins, the other finds it connected).
     */
    public void connectEngine() {
        engineAddress.ifPresent(engine::connect);
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
